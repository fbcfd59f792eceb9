using System.Net;
using System.Net.Http.Json;
using System.Text;
using Register.TestKit;

namespace Register.Trainees.Tests;

/// <summary>What every trainee API endpoint shares (spec §1, §2.1, §7): versions and their aliases, tokens, bodies.</summary>
[Collection(TraineesCollection.Name)]
public sealed class TraineeApiBasicsTests(TraineesFixture fixture) : TraineeApiTest(fixture)
{
    [Theory]
    [InlineData("v2025.0")]
    [InlineData("v2026.0")]
    [InlineData("v2026.1")]
    [InlineData("v2025")]
    [InlineData("v2026")]
    public async Task Info_echoes_the_requested_version_and_names_the_latest(string version)
    {
        var response = await Srs.GetAsync($"/api/{version}/info");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($$$"""{"status":"ok","version":{"requested":"{{{version}}}","latest":"v2026.1"}}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_major_version_urls_answer_as_their_newest_version()
    {
        var trainee = await CreateTraineeAsync();

        var v2026 = await (await Srs.GetAsync($"/api/v2026/trainees/{trainee.Text("trainee_id")}")).BodyAsync();
        var v2025 = await (await Srs.GetAsync($"/api/v2025/trainees/{trainee.Text("trainee_id")}")).BodyAsync();

        Assert.True(v2026.TryGetProperty("iqts_country", out _), "v2026 is v2026.1, which has iqts_country");
        Assert.True(v2025.TryGetProperty("course_subject_one", out _), "v2025 is v2025.0, with its own field names");
    }

    [Fact]
    public async Task An_unknown_version_is_401_without_a_token_and_404_with_one()
    {
        var anonymous = await Api.Anonymous().GetAsync("/api/v0.0/trainees");
        var withToken = await Srs.GetAsync("/api/v0.0/trainees");
        var unknownPath = await Srs.PostAsync("/api/v2026.1/nothing-here", null);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("""{"error":"Unauthorized"}""", await anonymous.Content.ReadAsStringAsync());
        foreach (var response in new[] { withToken, unknownPath })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("""{"errors":[{"error":"NotFound","message":"Not found"}]}""", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_deleted_provider_and_a_bad_token_are_401()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await Support.DeleteAsync($"/support/providers/{ProviderId}")).StatusCode);

        var deleted = await Srs.GetAsync("/api/v2026.1/trainees");
        var unknown = await Api.WithToken("rg_not-a-token").GetAsync("/api/v2026.1/trainees");
        var support = await Support.GetAsync("/api/v2026.1/trainees");

        foreach (var response in new[] { deleted, unknown, support })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("""{"error":"Unauthorized"}""", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_bare_token_works_as_the_reference_allows()
    {
        var client = Api.Anonymous();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", Srs.DefaultRequestHeaders.Authorization!.Parameter);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v2026.1/info")).StatusCode);
    }

    [Theory]
    [InlineData("{\"data\": {\"first_names\": ")]
    [InlineData("not json")]
    public async Task A_body_that_is_not_json_is_400_in_the_plain_errors_shape(string body)
    {
        var response = await Srs.PostAsync("/api/v2026.1/trainees", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.BodyAsync()).GetProperty("errors");
        Assert.StartsWith("The request body is not valid JSON", errors[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"data\": {}}")]
    [InlineData("{\"data\": []}")]
    [InlineData("{\"data\": null}")]
    [InlineData("{\"trainee\": {\"first_names\": \"John\"}}")]
    public async Task A_missing_or_empty_data_is_422(string body)
    {
        var trainee = await CreateTraineeAsync();
        var id = trainee.Text("trainee_id");

        foreach (var (method, path) in new[]
        {
            (HttpMethod.Post, "/api/v2026.1/trainees"), (HttpMethod.Put, $"/api/v2026.1/trainees/{id}"),
            (HttpMethod.Post, $"/api/v2026.1/trainees/{id}/degrees"), (HttpMethod.Post, $"/api/v2026.1/trainees/{id}/placements"),
        })
        {
            var response = await Srs.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Equal("""{"errors":["Param is missing or the value is empty or invalid: data"]}""", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Another_providers_trainee_degree_and_placement_are_404()
    {
        var trainee = await CreateTraineeAsync(TraineeRequests.Valid().With("placements_attributes", new[] { new { urn = "900020" } }));
        var id = trainee.Text("trainee_id");
        var degree = trainee.GetProperty("degrees")[0].Text("degree_id");
        var placement = trainee.GetProperty("placements")[0].Text("placement_id");
        var other = await OtherProviderAsync();

        var responses = new[]
        {
            await other.GetAsync($"/api/v2026.1/trainees/{id}"),
            await other.PatchAsync($"/api/v2026.1/trainees/{id}", Data(new { first_names = "Mallory" })),
            await other.GetAsync($"/api/v2026.1/trainees/{id}/degrees"),
            await other.PutAsync($"/api/v2026.1/trainees/{id}", Data(new { first_names = "Mallory" })),
            await other.GetAsync($"/api/v2025.0/trainees/{id}"),
            await other.PatchAsync($"/api/v2026.0/trainees/{id}", Data(new { first_names = "Mallory" })),
            await other.GetAsync($"/api/v2026.1/trainees/{id}/degrees/{degree}"),
            await other.PostAsync($"/api/v2026.1/trainees/{id}/degrees", Data(TraineeRequests.UkDegree())),
            await other.PutAsync($"/api/v2026.1/trainees/{id}/degrees/{degree}", Data(new { graduation_year = "2015" })),
            await other.DeleteAsync($"/api/v2026.1/trainees/{id}/degrees/{degree}"),
            await other.GetAsync($"/api/v2026.1/trainees/{id}/placements"),
            await other.GetAsync($"/api/v2026.1/trainees/{id}/placements/{placement}"),
            await other.PostAsync($"/api/v2026.1/trainees/{id}/placements", Data(new { urn = "900020" })),
            await other.PutAsync($"/api/v2026.1/trainees/{id}/placements/{placement}", Data(new { urn = "900010" })),
            await other.DeleteAsync($"/api/v2026.1/trainees/{id}/placements/{placement}"),
        };

        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("""{"errors":[{"error":"NotFound","message":"Trainee(s) not found"}]}""", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/api/v2026.1/trainees")).StatusCode);
        var mine = await (await Srs.GetAsync($"/api/v2026.1/trainees/{id}")).BodyAsync();
        Assert.Equal("John", mine.Text("first_names"));
        Assert.Equal(1, mine.GetProperty("degrees").GetArrayLength());
        Assert.Equal(1, mine.GetProperty("placements").GetArrayLength());
        Assert.Equal("900020", mine.GetProperty("placements")[0].Text("urn"));
        Assert.Equal(trainee.GetProperty("degrees")[0].GetProperty("graduation_year").GetRawText(), mine.GetProperty("degrees")[0].GetProperty("graduation_year").GetRawText());
    }

    [Theory]
    [InlineData("not-a-slug")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task An_unknown_trainee_is_404(string id)
    {
        var response = await Srs.GetAsync($"/api/v2026.1/trainees/{id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("""{"errors":[{"error":"NotFound","message":"Trainee(s) not found"}]}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_provider_has_at_most_two_live_trainee_tokens_of_at_most_six_months()
    {
        var second = await Support.PostAsJsonAsync("/support/api-clients", new { name = "Second SRS", audience = "trainees_api", organisation_id = ProviderId });
        var third = await Support.PostAsJsonAsync("/support/api-clients", new { name = "Third SRS", audience = "trainees_api", organisation_id = ProviderId });
        var tooLong = await Support.PostAsJsonAsync("/support/api-clients",
            new { name = "Long SRS", audience = "trainees_api", organisation_id = Guid.NewGuid(), expires_on = "2027-03-16" });
        await Support.PostAsync($"{second.Headers.Location}/revoke", null);
        var afterRevoke = await Support.PostAsJsonAsync("/support/api-clients", new { name = "Replacement SRS", audience = "trainees_api", organisation_id = ProviderId });

        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal("2027-03-15", (await second.BodyAsync()).GetProperty("data").Text("expires_on"));
        Assert.Contains("organisation_id: organisation_id already has 2 active trainees_api clients: revoke one before creating another", await third.MessagesAsync());
        Assert.Contains("expires_on: expires_on must be a date from today to 6 months from today", await tooLong.MessagesAsync());
        Assert.Equal(HttpStatusCode.Created, afterRevoke.StatusCode);
    }
}
