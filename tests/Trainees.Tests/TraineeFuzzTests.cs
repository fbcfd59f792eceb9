using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Register.TestKit;

namespace Register.Trainees.Tests;

/// <summary>
/// A valid trainee with random fields replaced by awkward values (wrong types, huge, NUL, impossible dates) always gets a
/// clear answer — 201, 409 or a 4xx naming the problem — never a 500, and a refused one leaves nothing behind.
/// </summary>
[Collection(TraineesCollection.Name)]
public sealed class TraineeFuzzTests(TraineesFixture fixture) : TraineeApiTest(fixture)
{
    private static readonly string[] Values =
    [
        "null", "true", "0", "-1", "1e309", "12.5", "99999999999999999999", "\"\"", "\" \"", "\"2026-13-45\"", "\"2026-02-29\"", "\"0001-01-01\"",
        "\"9999-12-31\"", "\"99\"", "\"02\"", "\"15\"", "\"13920\"", "\"7\"", "\"C\"", "\"\\u0000\"", "\"a\\u0000b\"", "\"" + new string('x', 5000) + "\"",
        "\"名前\"", "\"<script>\"", "[]", "[1,2]", "{}", "{\"a\":1}", "[{\"urn\":\"\\u0000\"}]", "[{\"graduation_year\":\"99999999999\"}]",
    ];

    private static readonly string[] Fields =
    [
        "first_names", "last_name", "middle_names", "date_of_birth", "sex", "email", "nationality", "ethnicity", "disability1", "training_route",
        "itt_start_date", "itt_end_date", "trainee_start_date", "course_subject_1", "course_subject_2", "study_mode", "course_age_range",
        "course_year", "fund_code", "funding_method", "training_initiative", "hesa_id", "application_id", "provider_trainee_id",
        "training_partner_urn", "training_partner_ukprn", "employing_school_urn", "iqts_country", "degrees_attributes", "placements_attributes",
        "pg_apprenticeship_start_date", "ni_number",
    ];

    private static readonly Gen<(int Field, int Value)[]> Changes = Gen.Select(Gen.Int[0, Fields.Length - 1], Gen.Int[0, Values.Length - 1]).Array[1, 4];

    [Fact]
    public async Task Awkward_values_get_a_clear_answer_never_a_500()
    {
        var id = (await CreateTraineeAsync(TraineeRequests.Valid().With("first_names", "Existing"))).Text("trainee_id");

        await Changes.SampleAsync(async changes =>
        {
            var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(new { data = TraineeRequests.Valid() }))!.AsObject();
            foreach (var (field, value) in changes)
            {
                body["data"]![Fields[field]] = JsonNode.Parse(Values[value]);
            }

            foreach (var (method, path) in new[] { (HttpMethod.Post, "/api/v2026.1/trainees"), (HttpMethod.Patch, $"/api/v2026.1/trainees/{id}"), (HttpMethod.Post, "/api/v2025.0/trainees") })
            {
                var response = await Srs.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") });
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(
                    response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK or HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest,
                    $"{(int)response.StatusCode} for {method} {path} {body.ToJsonString()[..Math.Min(400, body.ToJsonString().Length)]}: {text}");
            }
        }, iter: 120, threads: 1);
    }

    [Fact]
    public async Task Degrees_and_placements_take_awkward_values_without_a_500()
    {
        var id = (await CreateTraineeAsync()).Text("trainee_id");
        string[] fields = ["subject", "institution", "uk_degree", "non_uk_degree", "grade", "country", "graduation_year", "urn", "name", "postcode"];

        await Gen.Select(Gen.Int[0, fields.Length - 1], Gen.Int[0, Values.Length - 1]).Array[1, 4].SampleAsync(async changes =>
        {
            var body = new JsonObject();
            foreach (var (field, value) in changes)
            {
                body[fields[field]] = JsonNode.Parse(Values[value]);
            }

            foreach (var path in new[] { $"/api/v2026.1/trainees/{id}/degrees", $"/api/v2026.1/trainees/{id}/placements" })
            {
                var response = await Srs.PostAsync(path, new StringContent(new JsonObject { ["data"] = body.DeepClone() }.ToJsonString(), Encoding.UTF8, "application/json"));
                Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for {path} {body.ToJsonString()}: {await response.Content.ReadAsStringAsync()}");
            }
        }, iter: 80, threads: 1);
    }

    [Theory]
    [InlineData("""{"data":{"first_names":"A","first_names":"B"}}""", "an object has the same key twice")]
    [InlineData("""{"data":{"first_names":"\ud800"}}""", "a lone surrogate")]
    [InlineData("""{"data":{"degrees_attributes":[{"subject":"x","subject":"y"}]}}""", "an object has the same key twice")]
    public async Task Json_the_parser_lets_through_is_a_400_and_stores_nothing(string body, string reason)
    {
        foreach (var (method, path) in new[] { (HttpMethod.Post, "/api/v2026.1/trainees"), (HttpMethod.Post, "/api/v2025.0/trainees") })
        {
            var response = await Srs.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") });

            Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await using var connection = new Npgsql.NpgsqlConnection(Api.ConnectionString);
        Assert.Equal(0, await Dapper.SqlMapper.ExecuteScalarAsync<int>(connection, "SELECT count(*) FROM trainees.trainees"));
    }
}
