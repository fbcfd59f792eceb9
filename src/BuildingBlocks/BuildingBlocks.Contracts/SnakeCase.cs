using System.Text.Json;
using System.Text.RegularExpressions;

namespace Register.BuildingBlocks.Contracts;

/// <summary>
/// Register's names on the wire: snake_case, with numbers as words of their own, as the reference APIs
/// write them (<c>AddressLine1</c> is <c>address_line_1</c>, not .NET's <c>address_line1</c>).
/// </summary>
public sealed partial class SnakeCase : JsonNamingPolicy
{
    public static SnakeCase Instance { get; } = new();

    public override string ConvertName(string name) => DigitAfterLetter().Replace(SnakeCaseLower.ConvertName(name), "$1_$2");

    [GeneratedRegex("([a-z])([0-9])")]
    private static partial Regex DigitAfterLetter();
}
