using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Register.TestKit;

namespace Register.Host.Tests.Sandbox;

public sealed class JourneysFixture : SandboxFixture
{
    protected override string DatabaseName => "register_sandbox_journeys";
}

/// <summary>
/// Each journey of <c>docs/http</c> run, request by request, as VS Code's REST Client runs it, against Register with the
/// sandbox's sample data (the demo's lead provider sandbox and more), with the tokens of a reset: every request must succeed.
/// A person pauses between requests while background work is done (a TRN, a dry run): a request that fails is tried again
/// for a while before it counts as failed. The values the files say to set to this year are set to this year.
/// </summary>
public sealed partial class HttpJourneysTests(JourneysFixture sandbox) : IClassFixture<JourneysFixture>
{
    private static readonly string Folder = Path.Combine(Repository.Root, "docs", "http");

    public static TheoryData<string> EachFile() => new(Directory.EnumerateFiles(Folder, "*.http").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(EachFile))]
    public async Task Each_journey_runs_from_start_to_end(string file)
    {
        var report = await Host.Sandbox.ResetAsync(sandbox.Factory.Services, null, CancellationToken.None);
        var lines = await File.ReadAllLinesAsync(Path.Combine(Folder, file));
        var variables = new Dictionary<string, string>();
        var answers = new Dictionary<string, JsonElement>();
        var client = sandbox.Factory.CreateClient();

        foreach (var block in Blocks(lines))
        {
            foreach (var (name, value) in block.Variables)
            {
                variables[name] = value;
            }

            if (block.Method is null)
            {
                continue;
            }

            ThisYear(variables);
            if (TokenAudience().Match(variables["token"]) is { Success: true } audience)
            {
                variables["token"] = report.Tokens.Single(t => t.Audience == audience.Groups[1].Value).Issued.Token;
            }

            string Resolve(string text) => HttpFileSyntax.Use().Replace(text, m => Value(m.Groups[1].Value, variables, answers, Resolve));
            var url = Resolve(block.Url!).Replace("http://127.0.0.1:5080", "", StringComparison.Ordinal);
            var waited = System.Diagnostics.Stopwatch.StartNew();
            HttpResponseMessage response;
            string body;
            while (true)
            {
                using var request = new HttpRequestMessage(new HttpMethod(block.Method), url);
                byte[]? content = block.BodyFile is { } bodyFile ? await File.ReadAllBytesAsync(Path.Combine(Folder, bodyFile))
                    : block.Body is { } text ? Encoding.UTF8.GetBytes(Resolve(text)) : null;
                if (content is not null)
                {
                    request.Content = new ByteArrayContent(content);
                }

                foreach (var (header, value) in block.Headers)
                {
                    if (header.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                    {
                        request.Content!.Headers.ContentType = MediaTypeHeaderValue.Parse(Resolve(value));
                    }
                    else
                    {
                        request.Headers.TryAddWithoutValidation(header, Resolve(value));
                    }
                }

                response = await client.SendAsync(request);
                body = await response.Content.ReadAsStringAsync();
                if ((int)response.StatusCode < 400 || waited.Elapsed > TimeSpan.FromSeconds(20))
                {
                    break;
                }

                await Task.Delay(300);
            }

            Assert.True((int)response.StatusCode < 400, $"{file} line {block.Line}: {block.Method} {url} answered {(int)response.StatusCode}: {body}");
            if (block.Name is { } named && body.Length > 0 && response.Content.Headers.ContentType?.MediaType == "application/json")
            {
                answers[named] = JsonDocument.Parse(body).RootElement.Clone();
            }
        }
    }

    /// <summary>The values a file says are this year's: the academic cycle, its start and end, and the cohort.</summary>
    private static void ThisYear(Dictionary<string, string> variables)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var cycle = today.Month >= 8 ? today.Year : today.Year - 1;
        var start = today >= new DateOnly(cycle, 9, 1) ? new DateOnly(cycle, 9, 1) : new DateOnly(cycle, 8, 1);
        foreach (var (name, value) in new[]
        {
            ("cycle", cycle.ToString(CultureInfo.InvariantCulture)),
            ("ittStart", start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            ("ittEnd", $"{cycle + 1}-07-31"),
            ("cohort", (today.Month >= 6 ? today.Year : today.Year - 1).ToString(CultureInfo.InvariantCulture)),
        })
        {
            if (variables.ContainsKey(name))
            {
                variables[name] = value;
            }
        }
    }

    /// <summary>A variable's value: the file's, or one read from an earlier answer (<c>name.response.body.$.data[0].id</c>).</summary>
    private static string Value(string reference, Dictionary<string, string> variables, Dictionary<string, JsonElement> answers, Func<string, string> resolve)
    {
        if (variables.TryGetValue(reference, out var value))
        {
            return resolve(value);
        }

        var parts = reference.Split('.', 4);
        Assert.True(parts is [_, "response", "body", _] && answers.ContainsKey(parts[0]), $"{{{{{reference}}}}} has no value");
        var element = answers[parts[0]];
        foreach (Match step in PathStep().Matches(parts[3].TrimStart('$')))
        {
            element = step.Groups[1].Success ? element.GetProperty(step.Groups[1].Value) : element[int.Parse(step.Groups[2].Value, CultureInfo.InvariantCulture)];
        }

        return element.ValueKind == JsonValueKind.Null ? "" : element.ToString();
    }

    private sealed record Block(int Line, string? Name, string? Method, string? Url, List<(string Name, string Value)> Headers, string? Body, string? BodyFile,
        List<(string Name, string Value)> Variables);

    /// <summary>The file's requests (split at <c>###</c>), each with the variables defined before it.</summary>
    private static List<Block> Blocks(string[] lines)
    {
        var blocks = new List<Block>();
        var start = 0;
        for (var i = 0; i <= lines.Length; i++)
        {
            if (i < lines.Length && !lines[i].StartsWith("###", StringComparison.Ordinal))
            {
                continue;
            }

            blocks.Add(Parse(lines, start, i));
            start = i + 1;
        }

        return blocks;
    }

    private static Block Parse(string[] lines, int from, int to)
    {
        string? name = null, method = null, url = null, bodyFile = null;
        int line = from + 1;
        var headers = new List<(string, string)>();
        var variables = new List<(string, string)>();
        var body = new StringBuilder();
        var part = "before";
        for (var i = from; i < to; i++)
        {
            var text = lines[i];
            if (HttpFileSyntax.Variable().Match(text) is { Success: true } variable)
            {
                variables.Add((variable.Groups[1].Value, variable.Groups[2].Value.Trim()));
            }
            else if (part == "before" && HttpFileSyntax.Name().Match(text) is { Success: true } named)
            {
                name = named.Groups[1].Value;
            }
            else if (part == "before" && HttpFileSyntax.RequestLine().Match(text) is { Success: true } request)
            {
                (method, url, line, part) = (request.Groups[1].Value, request.Groups[2].Value, i + 1, "headers");
            }
            else if (part == "headers")
            {
                if (text.Length == 0)
                {
                    part = "body";
                }
                else
                {
                    var colon = text.IndexOf(':', StringComparison.Ordinal);
                    headers.Add((text[..colon].Trim(), text[(colon + 1)..].Trim()));
                }
            }
            else if (part == "body" && text.StartsWith("< ", StringComparison.Ordinal))
            {
                bodyFile = text[2..].Trim();
            }
            else if (part == "body" && !text.StartsWith('#'))
            {
                body.AppendLine(text);
            }
        }

        var content = body.ToString().Trim();
        return new Block(line, name, method, url, headers, content.Length > 0 ? content : null, bodyFile, variables);
    }





    [GeneratedRegex(@"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")]
    private static partial Regex PathStep();

    [GeneratedRegex("^rg_paste-the-([a-z_]+)-token-printed-by-scripts/run.sh$")]
    private static partial Regex TokenAudience();
}
