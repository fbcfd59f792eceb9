using System.Text.RegularExpressions;

namespace Register.Host.Tests;

/// <summary>The lines of a <c>.http</c> file (VS Code REST Client format) that the tests of <c>docs/http</c> read.</summary>
internal static partial class HttpFileSyntax
{
    /// <summary><c>GET {{baseUrl}}/api/v3/schools HTTP/1.1</c>: the method, then the URL.</summary>
    [GeneratedRegex(@"^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(\S+)(\s+HTTP/[0-9.]+)?\s*$")]
    public static partial Regex RequestLine();

    /// <summary><c>@token = rg_...</c>: a file variable and its value.</summary>
    [GeneratedRegex(@"^@([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$")]
    public static partial Regex Variable();

    /// <summary><c># @name createTrainee</c>: a request whose answer later requests read.</summary>
    [GeneratedRegex(@"^#\s*@name\s+([A-Za-z_][A-Za-z0-9_]*)\s*$")]
    public static partial Regex Name();

    /// <summary><c>{{token}}</c> or <c>{{createTrainee.response.body.data.trainee_id}}</c>: a value put in.</summary>
    [GeneratedRegex(@"\{\{\s*([^}\s]+)\s*\}\}")]
    public static partial Regex Use();
}
