using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Microsoft.Extensions.DependencyInjection;
using Register.TestKit;
using Register.Trainees.Features.Uploads;

namespace Register.Trainees.Tests;

/// <summary>
/// The trainee API's generated OpenAPI documents (docs/adr/0018): every operation of each version documents its body and
/// every answer, in the version's field names; and what the API really answers matches its document (JSON Schema 2020-12,
/// the schemas of an OpenAPI 3.1 document).
/// </summary>
[Collection(TraineesCollection.Name)]
public sealed class TraineeOpenApiTests(TraineesFixture fixture) : TraineeApiTest(fixture)
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    private readonly Dictionary<string, JsonObject> _documents = [];

    [Theory]
    [InlineData("v2025.0", 22)]
    [InlineData("v2026.0", 22)]
    [InlineData("v2026.1", 31)]
    public async Task Every_operation_documents_its_body_and_every_answer(string version, int operations)
    {
        var document = await DocumentAsync(version);
        var problems = new List<string>();
        var count = 0;
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject().Where(o => Methods.Contains(o.Key)))
            {
                count++;
                var name = $"{method.ToUpperInvariant()} {path}";
                if (method is "post" or "put" or "patch" && !path.EndsWith("/submit", StringComparison.Ordinal) && !path.EndsWith("/cancel", StringComparison.Ordinal))
                {
                    var content = operation!["requestBody"]?["content"]?.AsObject();
                    if (content is null || content.Count == 0 || content.Any(c => !HasSchema(c.Value?["schema"])))
                    {
                        problems.Add($"{name}: no request body schema");
                    }
                }

                foreach (var (status, response) in operation!["responses"]!.AsObject())
                {
                    var content = response!["content"]?.AsObject();
                    if (content is null || content.Count == 0 || content.Any(c => !HasSchema(c.Value?["schema"])))
                    {
                        problems.Add($"{name} {status}: no schema");
                    }
                }

                foreach (var expected in new[] { "400", "429" }.Concat(path.EndsWith("/reference-data", StringComparison.Ordinal) ? [] : ["401", "503"]))
                {
                    if (operation["responses"]![expected] is null)
                    {
                        problems.Add($"{name}: no {expected}");
                    }
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal(operations, count);
    }

    [Theory]
    [InlineData("v2025.0", true)]
    [InlineData("v2026.0", false)]
    [InlineData("v2026.1", false)]
    public async Task Each_version_documents_its_own_field_names(string version, bool oldNames)
    {
        var schemas = (await DocumentAsync(version))["components"]!["schemas"]!;
        var request = Properties(schemas["TraineeRequest"]);
        var response = Properties(schemas["TraineeResponse"]);
        var withdraw = Properties(schemas["WithdrawRequest"]);

        foreach (var (old, current) in new[] { ("lead_partner_ukprn", "training_partner_ukprn"), ("lead_partner_urn", "training_partner_urn"), ("course_subject_one", "course_subject_1") })
        {
            Assert.Equal(oldNames, request.Contains(old) && response.Contains(old));
            Assert.Equal(!oldNames, request.Contains(current) && response.Contains(current));
        }

        Assert.Equal(oldNames, response.Contains("withdraw_reasons") && response.Contains("withdraw_date") && withdraw.Contains("withdraw_date"));
        Assert.Equal(!oldNames, response.Contains("withdrawal_reasons") && withdraw.Contains("withdrawal_date"));
        Assert.Contains(oldNames ? "course_subject_one" : "course_subject_1", schemas["TraineeRequest"]!["required"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Theory]
    [InlineData("v2025.0", false, "02,03,09,10,11,12,14")]
    [InlineData("v2026.0", false, "03,09,10,11,12,14")]
    [InlineData("v2026.1", true, "03,09,10,11,12,14,15,16,17,18,19,20,21")]
    public async Task Iqts_country_and_the_training_routes_are_the_versions(string version, bool iqtsCountry, string routes)
    {
        var document = await DocumentAsync(version);
        var schemas = document["components"]!["schemas"]!;

        Assert.Equal(iqtsCountry, document.ToJsonString().Contains("\"iqts_country\"", StringComparison.Ordinal));
        Assert.Equal(iqtsCountry, Properties(schemas["TraineeResponse"]).Contains("iqts_country"));
        Assert.Equal(routes, string.Join(",", schemas["TraineeRequest"]!["properties"]!["training_route"]!["enum"]!.AsArray().Select(r => r!.GetValue<string>())));
    }

    [Fact]
    public async Task The_examples_are_in_the_versions_words_and_match_their_schemas()
    {
        foreach (var version in new[] { "v2025.0", "v2026.0", "v2026.1" })
        {
            var document = await DocumentAsync(version);
            var operation = document["paths"]![$"/api/{version}/trainees"]!["post"]!;
            var request = operation["requestBody"]!["content"]!["application/json"]!;
            var created = operation["responses"]!["201"]!["content"]!["application/json"]!;

            Assert.Equal(version == "v2025.0", request["example"]!["data"]!["course_subject_one"] is not null);
            Assert.Equal(version == "v2026.1", created["example"]!["data"]!.AsObject().ContainsKey("iqts_country"));
            Valid(document, request["schema"]!, request["example"]!, $"{version} request example");
            Valid(document, created["schema"]!, created["example"]!, $"{version} answer example");

            // The check bites: a key missing, a key the API never writes, a number where a code is a string.
            var broken = created["example"]!.DeepClone();
            broken["data"]!.AsObject().Remove("trainee_id");
            broken["data"]!["nickname"] = "Jack";
            broken["data"]!["sex"] = 11;
            Assert.Equal(3, Problems(document, created["schema"]!, broken).Count(p => p.Contains("/data", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task What_the_api_answers_matches_its_document()
    {
        var created = await PostTraineeAsync(TraineeRequests.Valid().With("disability1", "58").With("disability2", "57").With("placements_attributes", new[] { new { urn = "900020" } }));
        await MatchesAsync("v2026.1", 201, "/trainees", "post", created);
        var id = (await created.BodyAsync()).GetProperty("data").Text("trainee_id");
        await MatchesAsync("v2026.1", 409, "/trainees", "post", await PostTraineeAsync(TraineeRequests.Valid()));
        await MatchesAsync("v2026.1", 422, "/trainees", "post", await PostTraineeAsync(new { email = "Doe" }));
        var enhanced = new HttpRequestMessage(HttpMethod.Post, "/api/v2026.1/trainees") { Content = Data(TraineeRequests.Valid().With("first_names", "")) };
        enhanced.Headers.Add("Enhanced-Errors", "true");
        await MatchesAsync("v2026.1", 422, "/trainees", "post", await Srs.SendAsync(enhanced));
        await MatchesAsync("v2026.1", 400, "/trainees", "post", await Srs.PostAsync("/api/v2026.1/trainees", Register.TestKit.Json.Raw("{\"data\":")));
        await MatchesAsync("v2026.1", 422, "/trainees", "post", await Srs.PostAsync("/api/v2026.1/trainees", Register.TestKit.Json.Raw("{}")));
        await MatchesAsync("v2026.1", 415, "/trainees", "post", await Srs.PostAsync("/api/v2026.1/trainees", Register.TestKit.Json.Raw("{}", "text/plain")));
        await MatchesAsync("v2026.1", 401, "/trainees", "post", await Api.Anonymous().PostAsync("/api/v2026.1/trainees", Data(new { })));

        await MatchesAsync("v2026.1", 200, "/trainees", "get", await Srs.GetAsync("/api/v2026.1/trainees"));
        await MatchesAsync("v2026.1", 422, "/trainees", "get", await Srs.GetAsync("/api/v2026.1/trainees?status=busy&since=nope"));
        await MatchesAsync("v2026.1", 404, "/trainees", "get", await Srs.GetAsync("/api/v2026.1/trainees?academic_cycle=2019"));
        await MatchesAsync("v2026.1", 400, "/trainees", "get", await Srs.GetAsync("/api/v2026.1/trainees?sort_order=%01"));
        await MatchesAsync("v2026.1", 200, "/trainees/{traineeId}", "get", await Srs.GetAsync($"/api/v2026.1/trainees/{id}"));
        await MatchesAsync("v2026.1", 404, "/trainees/{traineeId}", "get", await Srs.GetAsync("/api/v2026.1/trainees/aaaaaaaaaaaaaaaaaaaaaaaa"));
        await MatchesAsync("v2026.1", 200, "/trainees/{traineeId}", "put", await Srs.PutAsync($"/api/v2026.1/trainees/{id}", Data(new { middle_names = "Ryan" })));
        await MatchesAsync("v2026.1", 422, "/trainees/{traineeId}", "patch", await Srs.PatchAsync($"/api/v2026.1/trainees/{id}", Data(new { sex = "3" })));

        await MatchesAsync("v2026.1", 200, "/trainees/{traineeId}/degrees", "get", await Srs.GetAsync($"/api/v2026.1/trainees/{id}/degrees"));
        await MatchesAsync("v2026.1", 201, "/trainees/{traineeId}/degrees", "post", await Srs.PostAsync($"/api/v2026.1/trainees/{id}/degrees", Data(TraineeRequests.NonUkDegree())));
        await MatchesAsync("v2026.1", 409, "/trainees/{traineeId}/degrees", "post", await Srs.PostAsync($"/api/v2026.1/trainees/{id}/degrees", Data(TraineeRequests.UkDegree())));
        await MatchesAsync("v2026.1", 422, "/trainees/{traineeId}/degrees", "post", await Srs.PostAsync($"/api/v2026.1/trainees/{id}/degrees", Data(new { subject = "nope" })));
        var degree = (await (await Srs.GetAsync($"/api/v2026.1/trainees/{id}/degrees")).BodyAsync()).GetProperty("data")[0].Text("degree_id");
        await MatchesAsync("v2026.1", 200, "/trainees/{traineeId}/degrees/{degreeId}", "get", await Srs.GetAsync($"/api/v2026.1/trainees/{id}/degrees/{degree}"));
        await MatchesAsync("v2026.1", 201, "/trainees/{traineeId}/placements", "post", await Srs.PostAsync($"/api/v2026.1/trainees/{id}/placements", Data(new { urn = "900010" })));
        await MatchesAsync("v2026.1", 422, "/trainees/{traineeId}/placements", "post", await Srs.PostAsync($"/api/v2026.1/trainees/{id}/placements", Data(new { urn = "12" })));
        await MatchesAsync("v2026.1", 200, "/trainees/{traineeId}/placements", "get", await Srs.GetAsync($"/api/v2026.1/trainees/{id}/placements"));
        var placement = (await (await Srs.GetAsync($"/api/v2026.1/trainees/{id}/placements")).BodyAsync()).GetProperty("data")[0].Text("placement_id");
        await MatchesAsync("v2026.1", 200, "/trainees/{traineeId}/placements/{placementId}", "delete", await Srs.DeleteAsync($"/api/v2026.1/trainees/{id}/placements/{placement}"));

        await MatchesAsync("v2026.1", 422, "/trainees/{traineeId}/defer", "post", await Srs.PostAsync($"/api/v2026.1/trainees/{id}/defer", Data(new { defer_reason = "x" })));
        await MatchesAsync("v2026.1", 200, "/trainees/{traineeId}/withdraw", "post", await Srs.PostAsync($"/api/v2026.1/trainees/{id}/withdraw", Data(new
        {
            withdrawal_date = "2026-09-10",
            trigger = "trainee",
            future_interest = "yes",
            reasons = new[] { "trainee_workload_issues" },
        })));
        await MatchesAsync("v2026.1", 422, "/trainees/{traineeId}", "put", await Srs.PutAsync($"/api/v2026.1/trainees/{id}", Data(new { middle_names = "Ryan" })));
        await MatchesAsync("v2026.1", 200, "/trainees/{traineeId}", "get", await Srs.GetAsync($"/api/v2026.1/trainees/{id}"));

        // The older versions, in their own words (lead_partner_urn, course_subject_one …).
        var old = await PostTraineeAsync(TraineeRequests.ValidV2025().With("first_names", "Jane").With("email", "jane.doe@example.com").With("hesa_id", "0310261553102"), "v2025.0");
        await MatchesAsync("v2025.0", 201, "/trainees", "post", old);
        var oldId = (await old.BodyAsync()).GetProperty("data").Text("trainee_id");
        await MatchesAsync("v2025.0", 200, "/trainees/{traineeId}", "get", await Srs.GetAsync($"/api/v2025.0/trainees/{oldId}"));
        await MatchesAsync("v2026.0", 200, "/trainees/{traineeId}", "get", await Srs.GetAsync($"/api/v2026.0/trainees/{oldId}"));
        await MatchesAsync("v2025.0", 200, "/trainees", "get", await Srs.GetAsync("/api/v2025.0/trainees"));

        // A trainee whose personal data is erased (ADR 16): its personal values are null, and it cannot change.
        Assert.Equal(HttpStatusCode.OK, (await Support.PostAsJsonAsync($"/support/trainees/{oldId}/erase", new { reason = "Added in error" })).StatusCode);
        await MatchesAsync("v2025.0", 200, "/trainees/{traineeId}", "get", await Srs.GetAsync($"/api/v2025.0/trainees/{oldId}"));
        await MatchesAsync("v2026.1", 200, "/trainees/{traineeId}/degrees", "get", await Srs.GetAsync($"/api/v2026.1/trainees/{oldId}/degrees"));
        await MatchesAsync("v2026.1", 422, "/trainees/{traineeId}/defer", "post", await Srs.PostAsync($"/api/v2026.1/trainees/{oldId}/defer", Data(new { defer_date = "2026-09-14" })));
        // Served only to answer 404 as the reference does, so not in v2025.0's document.
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await Api.Anonymous().GetAsync("/api/v2025.0/reference-data")).StatusCode);

        await MatchesAsync("v2026.1", 200, "/info", "get", await Srs.GetAsync("/api/v2026.1/info"));
        await MatchesAsync("v2026.1", 200, "/reference-data", "get", await Api.Anonymous().GetAsync("/api/v2026.1/reference-data"));
        await MatchesAsync("v2026.1", 200, "/reference-data", "get", await Api.Anonymous().GetAsync("/api/v2026.1/reference-data?field=sex"));
        await MatchesAsync("v2026.1", 200, "/reference-data", "get", await Api.Anonymous().GetAsync("/api/v2026.1/reference-data?field=withdrawal_reasons"));
        await MatchesAsync("v2026.1", 404, "/reference-data", "get", await Api.Anonymous().GetAsync("/api/v2026.1/reference-data?field=bogus"));
    }

    [Fact]
    public async Task What_the_upload_endpoints_answer_matches_the_document()
    {
        await MatchesAsync("v2026.1", 200, "/trainee-uploads/template", "get", await Srs.GetAsync("/api/v2026.1/trainee-uploads/template"));
        var csv = TraineeCsv.Make([TraineeCsv.Row(1), TraineeCsv.Row(2)]);
        var uploaded = await Srs.PostAsync("/api/v2026.1/trainee-uploads?file_name=trainees.csv", new StringContent(csv, Encoding.UTF8, "text/csv"));
        await MatchesAsync("v2026.1", 202, "/trainee-uploads", "post", uploaded);
        var id = (await uploaded.BodyAsync()).GetProperty("data").Text("upload_id");
        await MatchesAsync("v2026.1", 422, "/trainee-uploads", "post", await Srs.PostAsync("/api/v2026.1/trainee-uploads", new StringContent("", Encoding.UTF8, "text/csv")));
        await MatchesAsync("v2026.1", 415, "/trainee-uploads", "post", await Srs.PostAsync("/api/v2026.1/trainee-uploads", JsonContent.Create(new { })));
        await MatchesAsync("v2026.1", 200, "/trainee-uploads", "get", await Srs.GetAsync("/api/v2026.1/trainee-uploads"));
        await MatchesAsync("v2026.1", 200, "/trainee-uploads/{uploadId}", "get", await Srs.GetAsync($"/api/v2026.1/trainee-uploads/{id}"));
        await MatchesAsync("v2026.1", 404, "/trainee-uploads/{uploadId}", "get", await Srs.GetAsync("/api/v2026.1/trainee-uploads/nope"));
        await MatchesAsync("v2026.1", 200, "/trainee-uploads/{uploadId}/rows", "get", await Srs.GetAsync($"/api/v2026.1/trainee-uploads/{id}/rows"));
        await MatchesAsync("v2026.1", 422, "/trainee-uploads/{uploadId}/report", "get", await Srs.GetAsync($"/api/v2026.1/trainee-uploads/{id}/report"));
        await MatchesAsync("v2026.1", 422, "/trainee-uploads/{uploadId}/submit", "post", await Srs.PostAsync($"/api/v2026.1/trainee-uploads/{id}/submit", null));
        await Api.Factory.Services.GetRequiredService<UploadWorker>().ProcessPendingAsync(CancellationToken.None);
        await MatchesAsync("v2026.1", 200, "/trainee-uploads/{uploadId}/report", "get", await Srs.GetAsync($"/api/v2026.1/trainee-uploads/{id}/report"));
        await MatchesAsync("v2026.1", 202, "/trainee-uploads/{uploadId}/submit", "post", await Srs.PostAsync($"/api/v2026.1/trainee-uploads/{id}/submit", null));
        await MatchesAsync("v2026.1", 422, "/trainee-uploads/{uploadId}/cancel", "post", await Srs.PostAsync($"/api/v2026.1/trainee-uploads/{id}/cancel", null));
        await Api.Factory.Services.GetRequiredService<UploadWorker>().ProcessPendingAsync(CancellationToken.None);
        await MatchesAsync("v2026.1", 200, "/trainee-uploads/{uploadId}/rows", "get", await Srs.GetAsync($"/api/v2026.1/trainee-uploads/{id}/rows?per_page=1"));
        await MatchesAsync("v2026.1", 200, "/trainee-uploads/{uploadId}", "get", await Srs.GetAsync($"/api/v2026.1/trainee-uploads/{id}"));
    }

    /// <summary>An answer has the status expected, and its body (JSON, or CSV text) matches the schema the document gives for its status and content type.</summary>
    private async Task MatchesAsync(string version, int expected, string path, string method, HttpResponseMessage response)
    {
        var document = await DocumentAsync(version);
        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var name = $"{version} {method.ToUpperInvariant()} {path} {status}";
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == (int)response.StatusCode, $"{name}, not {expected}: {body}");
        var answer = document["paths"]?[$"/api/{version}{path}"]?[method]?["responses"]?[status];
        Assert.True(answer is not null, $"{name} is not documented: {body}");
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        var media = answer!["content"]?[mediaType];
        Assert.True(media is not null, $"{name}: {mediaType} is not documented");
        var instance = mediaType == "application/json" ? JsonNode.Parse(body) : JsonValue.Create(body);
        Valid(document, media!["schema"]!, instance, $"{name}: {body}");
    }

    private static void Valid(JsonObject document, JsonNode schema, JsonNode? instance, string what)
    {
        var problems = Problems(document, schema, instance);
        Assert.True(problems.Count == 0, $"{what}\n{string.Join("\n", problems)}");
    }

    /// <summary>Where an instance breaks a schema of the document (its components as <c>$defs</c>), one line each.</summary>
    private static List<string> Problems(JsonObject document, JsonNode schema, JsonNode? instance)
    {
        static JsonNode? Defs(JsonNode node) => JsonNode.Parse(node.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal));
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = Defs(document["components"]!["schemas"]!),
            ["allOf"] = new JsonArray(Defs(schema)),
        };
        var built = JsonSchema.FromText(root.ToJsonString(), baseUri: new Uri($"https://register.test/{Guid.NewGuid():N}"));
        using var json = JsonDocument.Parse(instance?.ToJsonString() ?? "null");
        var result = built.Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}")).Distinct().ToList();
    }

    private async Task<JsonObject> DocumentAsync(string version)
    {
        if (!_documents.TryGetValue(version, out var document))
        {
            var response = await Api.Anonymous().GetAsync($"/openapi/trainees-{version}.json");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            _documents[version] = document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        }

        return document;
    }

    private static bool HasSchema(JsonNode? schema) =>
        schema is JsonObject o && (o.ContainsKey("$ref") || o.ContainsKey("type") || o.ContainsKey("oneOf"));

    private static HashSet<string> Properties(JsonNode? schema) => schema!["properties"]!.AsObject().Select(p => p.Key).ToHashSet();
}
