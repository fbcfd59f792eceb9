using System.Net;
using System.Net.Http.Json;
using Register.TestKit;

namespace Register.Trainees.Tests;

/// <summary>Every change to a trainee, its degrees and placements is in the activity log, by the API client, with its fields.</summary>
[Collection(TraineesCollection.Name)]
public sealed class TraineeActivityTests(TraineesFixture fixture) : TraineeApiTest(fixture)
{
    [Fact]
    public async Task Changes_show_in_the_trainees_and_the_providers_timelines_with_the_client_and_fields()
    {
        var trainee = await CreateTraineeAsync();
        var id = trainee.Text("trainee_id");
        await Srs.PatchAsync($"/api/v2026.1/trainees/{id}", Data(new { first_names = "Jonathan" }));
        var degree = trainee.GetProperty("degrees")[0].Text("degree_id");
        await Srs.PatchAsync($"/api/v2026.1/trainees/{id}/degrees/{degree}", Data(new { grade = "01" }));
        await Srs.PostAsync($"/api/v2026.1/trainees/{id}/placements", Data(new { urn = "900020" }));
        await Srs.DeleteAsync($"/api/v2026.1/trainees/{id}/degrees/{degree}");

        var items = await Support.ItemsAsync($"/support/trainees/{id}/activity");
        var provider = await Support.ItemsAsync($"/support/providers/{ProviderId}/activity");

        Assert.Equal(
        [
            "Trainee degree deleted", "Trainee placement added", "Trainee degree updated", "Trainee updated", "Trainee degree added", "Trainee added",
        ], items.Select(i => i.Text("headline")));
        Assert.All(items, i => Assert.Equal("Acme SRS", i.GetProperty("actor").Text("name")));
        var updated = items.Single(i => i.Text("headline") == "Trainee updated");
        Assert.Equal("""[{"field":"first_names","old_value":"John","new_value":"Jonathan"}]""", updated.GetProperty("changes").GetRawText());
        var degreeUpdated = items.Single(i => i.Text("headline") == "Trainee degree updated").GetProperty("changes");
        Assert.Contains(degreeUpdated.EnumerateArray(), c => c.Text("field") == "grade" && c.Text("old_value") == "02" && c.Text("new_value") == "01");
        Assert.Contains(provider, i => i.Text("headline") == "Trainee added");
    }

    [Fact]
    public async Task A_trainees_activity_is_found_by_its_trainee_id_or_by_the_record_id_its_items_show_and_an_unknown_one_is_404()
    {
        var id = (await CreateTraineeAsync()).Text("trainee_id");
        var other = (await CreateTraineeAsync(TraineeRequests.Valid().With("last_name", "Other"))).Text("trainee_id");
        await Srs.PatchAsync($"/api/v2026.1/trainees/{id}", Data(new { first_names = "Jonathan" }));

        var byTraineeId = await Support.ItemsAsync($"/support/trainees/{id}/activity");
        var recordId = byTraineeId[0].Text("record_id");
        var byRecordId = await Support.ItemsAsync($"/support/trainees/{recordId}/activity");
        var unknown = await Support.GetAsync("/support/trainees/AAAAAAAAAAAAAAAAAAAAAAAA/activity");
        var unknownRecord = await Support.GetAsync($"/support/trainees/{Guid.NewGuid()}/activity");
        var malformed = await Support.GetAsync("/support/trainees/x%20y/activity");
        var bySrs = await Srs.GetAsync($"/support/trainees/{id}/activity");

        Assert.Equal(["Trainee updated", "Trainee degree added", "Trainee added"], byTraineeId.Select(i => i.Text("headline")));
        Assert.Equal(byTraineeId.Select(i => i.Text("id")), byRecordId.Select(i => i.Text("id")));
        Assert.DoesNotContain((await Support.ItemsAsync($"/support/trainees/{other}/activity")).Select(i => i.Text("id")), byTraineeId.Select(i => i.Text("id")).Contains);
        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound], new[] { unknown.StatusCode, unknownRecord.StatusCode, malformed.StatusCode });
        Assert.Equal("""{"errors":[{"error":"NotFound","message":"Trainee not found"}]}""", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, bySrs.StatusCode);
    }

    [Fact]
    public async Task A_refused_request_changes_nothing_and_logs_nothing()
    {
        var trainee = await CreateTraineeAsync();
        var before = (await Support.ItemsAsync()).Count;

        await Srs.PatchAsync($"/api/v2026.1/trainees/{trainee.Text("trainee_id")}", Data(new { sex = "3" }));
        await PostTraineeAsync(new { email = "Doe" });
        await PostTraineeAsync(TraineeRequests.Valid());

        Assert.Equal(before, (await Support.ItemsAsync()).Count);
    }
}

/// <summary>The trainee API's rate limit: per token, 429 with Retry-After.</summary>
public sealed class TraineeRateLimitTests : IAsyncLifetime
{
    private RegisterFactory _factory = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await TestDatabase.ConnectionStringAsync("register_trainee_rate_limits");
        _factory = new RegisterFactory(connectionString, new Dictionary<string, string?>
        {
            ["RateLimits:trainees_api:TokenPermitLimit"] = "5",
        });
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task The_request_over_the_limit_is_429_with_retry_after()
    {
        var support = await _factory.SupportAsync("Rate limit support");
        var provider = await support.CreateAsync(ProviderRequests.Hei("9RL", "Rate Limited University"));
        var srs = _factory.WithToken(await _factory.IssueTokenAsync("trainees_api", provider.Id(), "Busy SRS"));

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 6; i++)
        {
            last = await srs.GetAsync("/api/v2026.1/info");
            statuses.Add(last.StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 5).Append(HttpStatusCode.TooManyRequests), statuses);
        Assert.True(last!.Headers.RetryAfter is not null);
    }
}
