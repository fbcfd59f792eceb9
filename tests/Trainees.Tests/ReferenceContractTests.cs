using System.Net;
using System.Text.Json;
using Register.TestKit;
using YamlDotNet.RepresentationModel;

namespace Register.Trainees.Tests;

/// <summary>
/// Register's v2026.1 answers match the reference's OpenAPI document (<c>data/openapi/register-api-v2026.1.yaml</c>):
/// every key the reference requires is there, no key it does not declare is (but <c>disabilityN</c>, one a disability), and
/// every value has the declared type. The reference generated its schemas from its test examples, so a declared type is
/// the type of one example: a null where the document says string is allowed (Register answers null for what a
/// trainee does not have, as the reference does), and "nullable" without a type says nothing about the type.
/// </summary>
[Collection(TraineesCollection.Name)]
public sealed class ReferenceContractTests(TraineesFixture fixture) : TraineeApiTest(fixture)
{
    private static readonly Lazy<YamlMappingNode> Paths = new(() => (YamlMappingNode)Repository.ReferenceDocument("register-api-v2026.1.yaml")["paths"]);

    private static readonly string[] HesaDetailKeys =
        ["previous_last_name", "itt_aim", "course_year", "pg_apprenticeship_start_date", "funding_method", "ni_number", "additional_training_initiative", "itt_qualification_aim", "fund_code"];

    [Fact]
    public async Task Trainee_answers_match_the_reference_schemas()
    {
        await SchoolAsync("883876", "Oak Academy", "LS1 4AP");
        var created = await PostTraineeAsync(TraineeRequests.Valid().With("disability1", "58").With("disability2", "57")
            .With("placements_attributes", new[] { new { urn = "883876" } }));
        var id = (await created.BodyAsync()).GetProperty("data").Text("trainee_id");
        var degree = (await (await Srs.GetAsync($"/api/v2026.1/trainees/{id}/degrees")).BodyAsync()).GetProperty("data")[0].Text("degree_id");
        var placement = (await (await Srs.GetAsync($"/api/v2026.1/trainees/{id}/placements")).BodyAsync()).GetProperty("data")[0].Text("placement_id");

        await MatchesAsync("/api/{api_version}/trainees", "post", "201", created);
        // The reference's example duplicate was a trainee made without HESA details; every Register trainee has them.
        await MatchesAsync("/api/{api_version}/trainees", "post", "409", await PostTraineeAsync(TraineeRequests.Valid()), extraKeys: HesaDetailKeys);
        await MatchesAsync("/api/{api_version}/trainees", "post", "422", await PostTraineeAsync(new { email = "Doe" }));
        await MatchesAsync("/api/{api_version}/trainees", "get", "200", await Srs.GetAsync("/api/v2026.1/trainees"));
        await MatchesAsync("/api/{api_version}/trainees", "get", "422", await Srs.GetAsync("/api/v2026.1/trainees?status=busy"));
        await MatchesAsync("/api/{api_version}/trainees/{trainee_id}", "get", "200", await Srs.GetAsync($"/api/v2026.1/trainees/{id}"));
        await MatchesAsync("/api/{api_version}/trainees/{trainee_id}", "get", "404", await Srs.GetAsync("/api/v2026.1/trainees/aaaaaaaaaaaaaaaaaaaaaaaa"));
        await MatchesAsync("/api/{api_version}/trainees/{trainee_id}", "put", "200", await Srs.PutAsync($"/api/v2026.1/trainees/{id}", Data(new { middle_names = "Ryan" })));
        // The reference's example of a PUT 422 has the grouped (Enhanced-Errors) shape.
        var enhanced = new HttpRequestMessage(HttpMethod.Put, $"/api/v2026.1/trainees/{id}") { Content = Data(new { first_names = "", sex = "3" }) };
        enhanced.Headers.Add("Enhanced-Errors", "true");
        await MatchesAsync("/api/{api_version}/trainees/{trainee_id}", "put", "422", await Srs.SendAsync(enhanced));
        await MatchesAsync("/api/{api_version}/trainees/{trainee_id}", "put", "401", await Api.Anonymous().PutAsync($"/api/v2026.1/trainees/{id}", Data(new { first_names = "" })));
        await MatchesAsync("/api/{api_version}/trainees/{trainee_id}/degrees", "get", "200", await Srs.GetAsync($"/api/v2026.1/trainees/{id}/degrees"));
        await MatchesAsync("/api/{api_version}/trainees/{trainee_id}/degrees", "post", "201", await Srs.PostAsync($"/api/v2026.1/trainees/{id}/degrees", Data(TraineeRequests.UkDegree().With("graduation_year", "2014"))));
        await MatchesAsync("/api/{api_version}/trainees/{trainee_id}/degrees", "post", "409", await Srs.PostAsync($"/api/v2026.1/trainees/{id}/degrees", Data(TraineeRequests.UkDegree())));
        await MatchesAsync("/api/{api_version}/trainees/{trainee_id}/degrees", "post", "422", await Srs.PostAsync($"/api/v2026.1/trainees/{id}/degrees", Data(new { subject = "nope" })));
        await MatchesAsync("/api/{api_version}/trainees/{trainee_id}/degrees/{degree_id}", "get", "200", await Srs.GetAsync($"/api/v2026.1/trainees/{id}/degrees/{degree}"));
        await MatchesAsync("/api/{api_version}/trainees/{trainee_id}/degrees/{degree_id}", "put", "200", await Srs.PutAsync($"/api/v2026.1/trainees/{id}/degrees/{degree}", Data(new { grade = "01" })));
        await MatchesAsync("/api/{api_version}/trainees/{trainee_id}/placements", "get", "200", await Srs.GetAsync($"/api/v2026.1/trainees/{id}/placements"));
        await MatchesAsync("/api/{api_version}/trainees/{trainee_id}/placements", "post", "201", await Srs.PostAsync($"/api/v2026.1/trainees/{id}/placements", Data(new { urn = "883876" })));
        await MatchesAsync("/api/{api_version}/trainees/{trainee_id}/placements", "post", "422", await Srs.PostAsync($"/api/v2026.1/trainees/{id}/placements", Data(new { urn = "123456" })));
        await MatchesAsync("/api/{api_version}/trainees/{trainee_id}/placements/{placement_id}", "get", "200", await Srs.GetAsync($"/api/v2026.1/trainees/{id}/placements/{placement}"));
        await MatchesAsync("/api/{api_version}/trainees/{trainee_id}/placements/{placement_id}", "put", "200", await Srs.PutAsync($"/api/v2026.1/trainees/{id}/placements/{placement}", Data(new { urn = "883876" })));
        await MatchesAsync("/api/{api_version}/trainees/{trainee_id}/placements/{placement_id}", "delete", "200", await Srs.DeleteAsync($"/api/v2026.1/trainees/{id}/placements/{placement}"));
        await MatchesAsync("/api/{api_version}/trainees/{trainee_id}/degrees/{degree_id}", "delete", "200", await Srs.DeleteAsync($"/api/v2026.1/trainees/{id}/degrees/{degree}"),
            extraKeys: HesaDetailKeys);
    }

    [Fact]
    public async Task Info_and_reference_data_match_the_reference_schemas()
    {
        await MatchesAsync("/api/{api_version}/info", "get", "200", await Srs.GetAsync("/api/v2026.1/info"));
        await MatchesAsync("/api/{api_version}/reference-data", "get", "200", await Api.Anonymous().GetAsync("/api/v2026.1/reference-data?field=sex"));
        await MatchesAsync("/api/{api_version}/reference-data", "get", "404", await Api.Anonymous().GetAsync("/api/v2026.1/reference-data?field=bogus"));
    }

    private static async Task MatchesAsync(string path, string method, string status, HttpResponseMessage response, IReadOnlyList<string>? extraKeys = null)
    {
        Assert.Equal(int.Parse(status, System.Globalization.CultureInfo.InvariantCulture), (int)response.StatusCode);
        var operation = (YamlMappingNode)((YamlMappingNode)Paths.Value[path])[method];
        var content = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)operation["responses"])[status])["content"];
        var schema = (YamlMappingNode)((YamlMappingNode)content["application/json"])["schema"];
        var problems = new List<string>();
        Check(await response.BodyAsync(), schema, $"{method.ToUpperInvariant()} {path} {status}", extraKeys ?? [], problems);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>A trainee has a <c>disabilityN</c> key a disability: the reference's examples had one or two.</summary>
    private static bool IsDisabilityOfATrainee(string key, HashSet<string> keys) =>
        keys.Contains("trainee_id") && key.StartsWith("disability", StringComparison.Ordinal) && key.Length > 10 && key[10..].All(char.IsAsciiDigit);

    private static void Check(JsonElement value, YamlMappingNode schema, string at, IReadOnlyList<string> extraKeys, List<string> problems)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (schema.Children.TryGetValue("oneOf", out var oneOf))
        {
            var any = ((YamlSequenceNode)oneOf).Children.Cast<YamlMappingNode>().Any(option =>
            {
                var attempt = new List<string>();
                Check(value, option, at, extraKeys, attempt);
                return attempt.Count == 0;
            });
            if (!any)
            {
                problems.Add($"{at}: {value.ValueKind} matches none of the reference's options");
            }

            return;
        }

        var type = schema.Children.TryGetValue("type", out var t) ? t.ToString() : null;
        var actual = value.ValueKind switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => "integer",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Array => "array",
            JsonValueKind.Object => "object",
            _ => value.ValueKind.ToString(),
        };
        if (type is not null && type != actual && !(type == "number" && actual == "integer"))
        {
            problems.Add($"{at}: is {actual}, the reference says {type}");
            return;
        }

        if (value.ValueKind == JsonValueKind.Array && schema.Children.TryGetValue("items", out var items) && items is YamlMappingNode itemSchema)
        {
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                Check(item, itemSchema, $"{at}[{i++}]", extraKeys, problems);
            }
        }

        if (value.ValueKind == JsonValueKind.Object && schema.Children.TryGetValue("properties", out var properties))
        {
            var declared = (YamlMappingNode)properties;
            var keys = value.EnumerateObject().Select(p => p.Name).ToHashSet();
            if (schema.Children.TryGetValue("required", out var required))
            {
                foreach (var key in ((YamlSequenceNode)required).Children.Select(c => c.ToString()).Where(k => !keys.Contains(k)))
                {
                    problems.Add($"{at}: {key} is missing");
                }
            }

            foreach (var property in value.EnumerateObject())
            {
                if (declared.Children.TryGetValue(property.Name, out var propertySchema))
                {
                    Check(property.Value, (YamlMappingNode)propertySchema, $"{at}.{property.Name}", extraKeys, problems);
                }
                else if (!extraKeys.Contains(property.Name) && !IsDisabilityOfATrainee(property.Name, keys))
                {
                    problems.Add($"{at}: {property.Name} is not in the reference's schema");
                }
            }
        }
    }
}
