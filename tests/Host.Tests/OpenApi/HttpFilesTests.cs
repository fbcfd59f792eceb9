using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Register.BuildingBlocks.Security;
using Register.TestKit;

namespace Register.Host.Tests.OpenApi;

/// <summary>
/// The journeys of <c>docs/http/*.http</c> (VS Code REST Client format) cannot drift from the app: every request's method and
/// path is an operation of one of the generated OpenAPI documents, the variables they use are defined before they are used,
/// and the files they send exist.
/// </summary>
[Collection(HostCollection.Name)]
public sealed partial class HttpFilesTests(HostFixture fixture) : ApiTest<HostFixture>(fixture)
{
    private static readonly string Folder = Path.Combine(Repository.Root, "docs", "http");

    public static TheoryData<string> EachFile() => new(Directory.EnumerateFiles(Folder, "*.http").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Fact]
    public void There_is_a_file_for_each_journey()
    {
        var files = Directory.EnumerateFiles(Folder, "*.http").Select(Path.GetFileName).ToList();

        Assert.Superset(new HashSet<string?> { "srs-vendor.http", "csv-upload.http", "lead-provider.http", "providers-api.http", "support-operations.http" }, files.ToHashSet());
    }

    [Theory]
    [MemberData(nameof(EachFile))]
    public async Task Every_request_is_a_route_of_the_running_app(string file)
    {
        var operations = await OperationsAsync();
        var requests = Parse(await File.ReadAllLinesAsync(Path.Combine(Folder, file)));

        Assert.NotEmpty(requests);
        var missing = requests.Where(r => !operations.Any(o => o.Method == r.Method && Matches(o.Path, r.Path)))
            .Select(r => $"line {r.Line}: {r.Method} {r.Path}").ToList();
        Assert.True(missing.Count == 0, $"{file} has requests that are no route of the app:\n{string.Join('\n', missing)}");
    }

    [Theory]
    [MemberData(nameof(EachFile))]
    public async Task Each_file_runs_against_the_demo_and_uses_only_what_it_defines(string file)
    {
        var lines = await File.ReadAllLinesAsync(Path.Combine(Folder, file));
        var variables = new Dictionary<string, string>();
        var named = new HashSet<string>();
        var problems = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            foreach (Match use in HttpFileSyntax.Use().Matches(lines[i]))
            {
                var reference = use.Groups[1].Value;
                var known = reference.StartsWith('$') || variables.ContainsKey(reference)
                    || (reference.Split('.') is [var request, "response", ..] && named.Contains(request));
                if (!known)
                {
                    problems.Add($"line {i + 1}: {{{{{reference}}}}} is not defined before it is used");
                }
            }

            if (HttpFileSyntax.Variable().Match(lines[i]) is { Success: true } variable)
            {
                variables[variable.Groups[1].Value] = variable.Groups[2].Value.Trim();
            }

            if (HttpFileSyntax.Name().Match(lines[i]) is { Success: true } name)
            {
                named.Add(name.Groups[1].Value);
            }

            if (lines[i].StartsWith("< ", StringComparison.Ordinal) && !File.Exists(Path.Combine(Folder, lines[i][2..].Trim())))
            {
                problems.Add($"line {i + 1}: {lines[i][2..].Trim()} does not exist");
            }
        }

        Assert.Empty(problems);
        Assert.Equal("http://127.0.0.1:5080", variables.GetValueOrDefault("baseUrl"));
        Assert.Matches("^rg_paste-the-[a-z_]+-token-printed-by-scripts/run.sh$", variables.GetValueOrDefault("token") ?? "");
    }

    /// <summary>Every operation of every API's generated document: its method and its path template.</summary>
    private async Task<List<(string Method, string Path)>> OperationsAsync()
    {
        var operations = new List<(string, string)>();
        foreach (var api in ApiDefinition.All)
        {
            var response = await Api.Anonymous().GetAsync($"/openapi/{api.OpenApiDocument}.json");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
            {
                operations.AddRange(path.Value.EnumerateObject().Select(o => (o.Name.ToUpperInvariant(), path.Name)));
            }
        }

        return operations;
    }

    /// <summary>
    /// The requests of a file: method and path, the file's own variables put in, and a value read from an earlier answer
    /// (<c>{{createTrainee.response.body...}}</c>) left as <c>{value}</c>, which only a path parameter matches.
    /// </summary>
    private static List<(int Line, string Method, string Path)> Parse(string[] lines)
    {
        var variables = lines.Select(l => HttpFileSyntax.Variable().Match(l)).Where(m => m.Success).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim());
        string Resolve(string text, int depth = 0) => HttpFileSyntax.Use().Replace(text, m =>
            variables.TryGetValue(m.Groups[1].Value, out var value) && depth < 5 ? Resolve(value, depth + 1) : "{value}");

        var requests = new List<(int, string, string)>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (HttpFileSyntax.RequestLine().Match(lines[i]) is not { Success: true } request)
            {
                continue;
            }

            var url = Resolve(request.Groups[2].Value);
            Assert.StartsWith("http://127.0.0.1:5080/", url, StringComparison.Ordinal);
            requests.Add((i + 1, request.Groups[1].Value, url["http://127.0.0.1:5080".Length..].Split('?')[0]));
        }

        return requests;
    }

    private static bool Matches(string template, string path)
    {
        var expected = template.Split('/');
        var actual = path.Split('/');
        return expected.Length == actual.Length && expected.Zip(actual).All(p => p.First.StartsWith('{') ? p.Second.Length > 0 : p.First == p.Second);
    }
}
