using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Npgsql;
using Register.TestKit;
using Xunit.Abstractions;

namespace Register.Host.Tests.Fuzz;

/// <summary>
/// Every control character (U+0000–U+001F, U+007F–U+009F) in every field and parameter of every API: each is refused
/// with that API's envelope naming the field or parameter, never a 5xx, and afterwards no text in the database holds
/// one. The fields and parameters come from the generated OpenAPI documents; the trainee API's (which reads its bodies
/// itself) from its own field lists.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class ControlCharacterFuzzTests(HostFixture fixture, ITestOutputHelper output) : ApiTest<HostFixture>(fixture)
{
    private static readonly char[] Controls = [.. Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Select(c => (char)c)];

    /// <summary>A few of them, for the cases that cost a whole request each (path values, trainee parts).</summary>
    private static readonly char[] Some = ['\u0000', '\u0007', '\t', '\n', '\u001B', '\u007F', '\u0085', '\u009F'];

    private static readonly string SomeId = "0b7c1b2e-8a6c-4c9e-9d55-8d1f7c7a0001";

    [Theory]
    [InlineData("support", "support")]
    [InlineData("providers-v0", "providers_api")]
    [InlineData("providers-v1", "providers_api")]
    [InlineData("lead-provider-v3", "lead_provider_api")]
    [InlineData("trainees-v2025.0", "trainees_api")]
    [InlineData("trainees-v2026.0", "trainees_api")]
    [InlineData("trainees-v2026.1", "trainees_api")]
    public async Task Every_parameter_and_field_of_every_api_refuses_control_characters(string document, string audience)
    {
        var support = await Api.SupportAsync();
        var provider = await support.CreateAsync(ProviderRequests.Hei());
        var client = audience == "support" ? support
            : Api.WithToken(await Api.CreateTokenAsync(support, audience, audience is "trainees_api" or "lead_provider_api" ? provider.Id() : null));
        var openApi = JsonNode.Parse(await Api.Anonymous().GetStringAsync($"/openapi/{document}.json"))!;
        var counts = new Dictionary<string, int> { ["query"] = 0, ["path"] = 0, ["body"] = 0 };

        foreach (var (path, method, operation) in Operations(openApi))
        {
            var route = Fill(path, SomeValue);
            foreach (var parameter in QueryParameters(operation, document))
            {
                foreach (var c in Controls)
                {
                    var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"{route}?{Uri.EscapeDataString(parameter)}={Uri.EscapeDataString($"a{c}b")}"));
                    await AssertRefusedAsync(response, 400, parameter, $"{method} {path} ?{parameter} U+{(int)c:X4}");
                    counts["query"]++;
                }
            }

            foreach (var name in PathParameters(path))
            {
                // U+0000 in a path never reaches Register: Kestrel answers 400 itself (and the test server refuses to send it).
                foreach (var c in Some.Where(c => c != '\u0000'))
                {
                    var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), Fill(path, p => p == name ? $"a{c}b" : SomeValue(p))));
                    Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode} for {method} {path} {{{name}}} U+{(int)c:X4}: {await response.Content.ReadAsStringAsync()}");
                    counts["path"]++;
                }
            }

            if (method is "GET" or "DELETE" || document.StartsWith("trainees", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var field in BodyFields(openApi, operation, path))
            {
                foreach (var c in Controls)
                {
                    var body = Body(field, $"a{c}b");
                    var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), route) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
                    await AssertRefusedAsync(response, 422, field, $"{method} {path} {body}");
                    counts["body"]++;
                }
            }
        }

        output.WriteLine($"{document}: {counts["query"]} query, {counts["path"]} path and {counts["body"]} body requests, none a 5xx");
        Assert.True(counts.Values.Sum() > 0);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Every_field_of_a_trainee_and_its_parts_refuses_control_characters_in_the_trainee_apis_own_shapes()
    {
        var support = await Api.SupportAsync();
        var provider = await support.CreateAsync(ProviderRequests.Scitt());
        var srs = Api.WithToken(await Api.CreateTokenAsync(support, "trainees_api", provider.Id()));
        var valid = TraineeRequests.Valid(TraineeRequests.CurrentCycle);
        var requests = 0;

        // A trainee: every text field, every character, in the "Validation failed" shape.
        var fields = valid.Where(f => f.Value is string).Select(f => f.Key)
            .Concat(["middle_names", "previous_last_name", "provider_trainee_id", "application_id", "ni_number", "trainee_start_date", "training_partner_urn"]);
        foreach (var field in fields)
        {
            foreach (var c in Controls)
            {
                var body = new JsonObject { ["data"] = JsonSerializer.SerializeToNode(TraineeRequests.Valid(TraineeRequests.CurrentCycle).With(field, $"a{c}b")) };
                var response = await srs.PostAsync("/api/v2026.1/trainees", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{(int)response.StatusCode} for {field} U+{(int)c:X4}: {text}");
                Assert.Contains("Validation failed", text, StringComparison.Ordinal);
                Assert.Contains($"{field} must not contain control characters", text, StringComparison.Ordinal);
                requests++;
            }
        }

        // A degree sent with the trainee, then the parts and the lifecycle on their own endpoints.
        foreach (var c in Some)
        {
            var degree = TraineeRequests.UkDegree();
            degree["subject"] = $"a{c}b";
            var body = new JsonObject { ["data"] = JsonSerializer.SerializeToNode(TraineeRequests.Valid(TraineeRequests.CurrentCycle).With("degrees_attributes", new[] { degree })) };
            var response = await srs.PostAsync("/api/v2026.1/trainees", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Contains("subject must not contain control characters", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            requests++;
        }

        var created = await srs.PostAsync("/api/v2026.1/trainees", new StringContent(new JsonObject { ["data"] = JsonSerializer.SerializeToNode(valid) }.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["data"]!["trainee_id"]!.GetValue<string>();
        var parts = new (string Method, string Path, string Field, string Body)[]
        {
            ("PUT", $"/api/v2026.1/trainees/{id}", "first_names", """{"data":{"first_names":"%"}}"""),
            ("POST", $"/api/v2026.1/trainees/{id}/degrees", "subject", """{"data":{"subject":"%","grade":"02","institution":"0116","uk_degree":"083","graduation_year":"2012"}}"""),
            ("POST", $"/api/v2026.1/trainees/{id}/placements", "name", """{"data":{"name":"%","postcode":"SW1A 1AA"}}"""),
            ("POST", $"/api/v2026.1/trainees/{id}/placements", "urn", """{"data":{"urn":"%"}}"""),
            ("POST", $"/api/v2026.1/trainees/{id}/defer", "defer_reason", """{"data":{"defer_date":"2026-10-01","defer_reason":"%"}}"""),
            ("POST", $"/api/v2026.1/trainees/{id}/withdraw", "another_reason", """{"data":{"withdrawal_date":"2026-10-01","reasons":["another_reason"],"another_reason":"%","trigger":"provider","future_interest":"no"}}"""),
        };
        foreach (var (method, path, field, template) in parts)
        {
            foreach (var c in Some.Where(c => !(field is "defer_reason" or "another_reason" && c is '\t' or '\n')))
            {
                var body = template.Replace("%", JsonEncodedText.Encode($"a{c}b").ToString(), StringComparison.Ordinal);
                var response = await srs.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{(int)response.StatusCode} for {method} {path} {body}: {text}");
                Assert.Contains($"{field} must not contain control characters", text, StringComparison.Ordinal);
                requests++;
            }
        }

        output.WriteLine($"trainee API bodies: {requests} requests, every one a 422 naming its field");
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_csv_row_with_a_control_character_is_a_row_error_and_creates_nothing()
    {
        var support = await Api.SupportAsync();
        var provider = await support.CreateAsync(ProviderRequests.Scitt());
        var srs = Api.WithToken(await Api.CreateTokenAsync(support, "trainees_api", provider.Id()));
        var template = await srs.GetStringAsync("/api/v2026.1/trainee-uploads/template");
        var columns = template.Split('\n')[0].Trim().Split(',');
        var valid = TraineeRequests.Valid(TraineeRequests.CurrentCycle);
        var row = columns.Select(c => valid.TryGetValue(c, out var v) && v is string s ? s : c == "last_name" ? "Doe" : "").ToArray();
        row[Array.IndexOf(columns, "first_names")] = "Jo\u0007hn";

        var upload = await srs.PostAsync("/api/v2026.1/trainee-uploads", new StringContent(string.Join(",", columns) + "\n" + string.Join(",", row) + "\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        var uploadId = JsonNode.Parse(await upload.Content.ReadAsStringAsync())!["data"]!["upload_id"]!.GetValue<string>();

        string status = "pending";
        for (var i = 0; i < 100 && status is "pending" or "validating"; i++)
        {
            await Task.Delay(100);
            status = JsonNode.Parse(await srs.GetStringAsync($"/api/v2026.1/trainee-uploads/{uploadId}"))!["data"]!["status"]!.GetValue<string>();
        }

        var rows = await srs.GetStringAsync($"/api/v2026.1/trainee-uploads/{uploadId}/rows");
        Assert.Equal("failed", status);
        Assert.Contains("first_names must not contain control characters", rows, StringComparison.Ordinal);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, int status, string field, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{(int)response.StatusCode} (not {status}) for {what}: {text}");
        Assert.Contains(JsonEncodedText.Encode($"{field} must not contain control characters").ToString(), text, StringComparison.Ordinal);
    }

    /// <summary>No text column of any module's tables holds a control character other than tab and new lines.</summary>
    private async Task AssertNothingStoredAsync()
    {
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        var columns = await connection.QueryAsync<(string Schema, string Table, string Column)>(
            """
            SELECT table_schema, table_name, column_name FROM information_schema.columns
            WHERE table_schema NOT IN ('pg_catalog', 'information_schema', 'public') AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY')
              AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE')
            """);
        foreach (var (schema, table, column) in columns)
        {
            // jsonb keeps a control character as an escape (\u0007); text columns keep it as it is.
            var holding = await connection.ExecuteScalarAsync<long>(
                $"""SELECT count(*) FROM "{schema}"."{table}" WHERE "{column}"::text ~ '[\x01-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]|\\u00(0[0-8bcef]|1[0-9a-f]|7f|[89][0-9a-f])'""");
            Assert.True(holding == 0, $"{schema}.{table}.{column} holds control characters in {holding} rows");
        }
    }

    private static IEnumerable<(string Path, string Method, JsonNode Operation)> Operations(JsonNode document)
    {
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                if (method is "get" or "post" or "put" or "patch" or "delete")
                {
                    yield return (path, method.ToUpperInvariant(), operation!);
                }
            }
        }
    }

    /// <summary>The documented query parameters, and those the trainee and lead provider documents do not list yet (issue 14).</summary>
    private static IEnumerable<string> QueryParameters(JsonNode operation, string document)
    {
        var documented = (operation["parameters"]?.AsArray() ?? []).Where(p => p!["in"]!.GetValue<string>() == "query").Select(p => p!["name"]!.GetValue<string>());
        var extra = document switch
        {
            _ when document.StartsWith("trainees", StringComparison.Ordinal) => new[] { "since", "academic_cycle", "status", "page", "per_page", "sort_order" },
            "lead-provider-v3" => ["filter[cohort]", "filter[updated_since]", "page[page]", "page[per_page]", "sort"],
            _ => [],
        };
        return documented.Concat(extra).Distinct().Append("anything_else");
    }

    /// <summary>A value the route takes for a path parameter (a year is a number; the others are ids).</summary>
    private static string SomeValue(string parameter) => parameter.Contains("year", StringComparison.OrdinalIgnoreCase) ? "2026" : SomeId;

    private static IEnumerable<string> PathParameters(string path) =>
        path.Split('/').Where(s => s.StartsWith('{')).Select(s => s.Trim('{', '}'));

    private static string Fill(string path, Func<string, string> value) =>
        string.Join('/', path.Split('/').Select(s => s.StartsWith('{') ? Uri.EscapeDataString(value(s.Trim('{', '}'))) : s));

    /// <summary>The paths of the string-like fields (strings, dates, ids, lists of them) of the operation's request body, as JSON paths.</summary>
    private static List<string> BodyFields(JsonNode document, JsonNode operation, string path)
    {
        var schema = operation["requestBody"]?["content"]?["application/json"]?["schema"];
        var fields = schema is null ? [] : Fields(document, schema, "", 0).Distinct().ToList();
        if (fields.Count == 0 && path.StartsWith("/api/v3/partnerships", StringComparison.Ordinal))
        {
            // The lead provider document has no request schemas yet (issue 14): the reference's JSON:API shape.
            fields = ["data.type", "data.attributes.cohort", "data.attributes.school_id", "data.attributes.delivery_partner_id"];
        }

        return fields;
    }

    private static IEnumerable<string> Fields(JsonNode document, JsonNode schema, string prefix, int depth)
    {
        if (depth > 6)
        {
            yield break;
        }

        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            schema = document["components"]!["schemas"]![reference.Split('/')[^1]]!;
        }

        var type = schema["type"] switch
        {
            JsonArray types => types.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null"),
            JsonValue single => single.GetValue<string>(),
            _ => null,
        };
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, property) in properties)
            {
                foreach (var field in Fields(document, property!, prefix.Length == 0 ? name : $"{prefix}.{name}", depth + 1))
                {
                    yield return field;
                }
            }
        }
        else if (type == "array" && schema["items"] is { } items)
        {
            foreach (var field in Fields(document, items, $"{prefix}[0]", depth + 1))
            {
                yield return field;
            }
        }
        else if (prefix.Length > 0 && (type is "string" or null))
        {
            yield return prefix;
        }
        else if (prefix.Length > 0 && schema["oneOf"] is not null)
        {
            yield return prefix;
        }
    }

    /// <summary>A body holding <paramref name="value"/> at a path like <c>accreditation.number</c> or <c>academic_years[0]</c>.</summary>
    private static string Body(string field, string value)
    {
        JsonNode leaf = JsonValue.Create(value);
        var segments = field.Split('.');
        for (var i = segments.Length - 1; i >= 0; i--)
        {
            var segment = segments[i];
            var arrays = 0;
            while (segment.EndsWith("[0]", StringComparison.Ordinal))
            {
                segment = segment[..^3];
                arrays++;
            }

            for (var a = 0; a < arrays; a++)
            {
                leaf = new JsonArray(leaf);
            }

            leaf = new JsonObject { [segment] = leaf };
        }

        return leaf.ToJsonString();
    }
}

/// <summary>
/// Bad paging parameters are a 400 naming the parameter in every list of Register's own APIs and the lead provider API
/// (whose reference answers so, and caps a large page[per_page] at 3,000). The trainee API pages as its reference does
/// (Kaminari: a page that is not a positive number is the first), so it is not here.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class PagingParameterTests(HostFixture fixture, ITestOutputHelper output) : ApiTest<HostFixture>(fixture)
{
    [Theory]
    [InlineData("support", "support")]
    [InlineData("providers-v1", "providers_api")]
    [InlineData("lead-provider-v3", "lead_provider_api")]
    public async Task Bad_paging_parameters_are_a_400_naming_the_parameter(string document, string audience)
    {
        var support = await Api.SupportAsync();
        var provider = await support.CreateAsync(ProviderRequests.Hei());
        var client = audience == "support" ? support
            : Api.WithToken(await Api.CreateTokenAsync(support, audience, audience is "trainees_api" or "lead_provider_api" ? provider.Id() : null));
        var openApi = JsonNode.Parse(await Api.Anonymous().GetStringAsync($"/openapi/{document}.json"))!;
        var (page, perPage) = document == "lead-provider-v3" ? ("page[page]", "page[per_page]") : ("page", "per_page");
        var lists = openApi["paths"]!.AsObject()
            .Where(p => !p.Key.Contains('{', StringComparison.Ordinal) && p.Value!["get"] is not null)
            .Select(p => p.Key)
            .Where(p => document != "lead-provider-v3" || p is "/api/v3/partnerships" or "/api/v3/schools" or "/api/v3/delivery-partners")
            .Where(p => Declares(openApi, p, page) || document == "lead-provider-v3")
            .ToList();
        var checkedLists = 0;
        foreach (var list in lists)
        {
            var query = list.StartsWith("/api/v3/schools", StringComparison.Ordinal) ? "filter[cohort]=2025&" : "";
            var cases = new List<(string Name, string Value)> { (page, "0"), (page, "abc"), (page, "-1"), (page, "1.5") };
            if (Declares(openApi, list, perPage) || document == "lead-provider-v3")
            {
                cases.AddRange([(perPage, "0"), (perPage, "abc"), (perPage, "-5")]);
                if (document != "lead-provider-v3")
                {
                    cases.Add((perPage, "100000000"));
                }
            }

            foreach (var (name, value) in cases)
            {
                var response = await client.GetAsync($"{list}?{query}{Uri.EscapeDataString(name)}={value}");
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} for {list}?{name}={value}: {text}");
                Assert.Contains(name, text, StringComparison.Ordinal);
            }

            checkedLists++;
        }

        output.WriteLine($"{document}: {checkedLists} lists: {string.Join(", ", lists)}");
        Assert.NotEqual(0, checkedLists);
    }

    private static bool Declares(JsonNode openApi, string path, string parameter) =>
        openApi["paths"]![path]!["get"]!["parameters"]?.AsArray().Any(x => x!["name"]!.GetValue<string>() == parameter) == true;
}
