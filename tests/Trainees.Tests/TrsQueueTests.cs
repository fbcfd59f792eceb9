using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Register.TestKit;
using Register.Trainees.Features.Trs;

namespace Register.Trainees.Tests;

/// <summary>
/// Support's view of the TRS queue (<c>/support/trs-requests</c>, issue 16): the summary and the list after a known set of
/// requests, their filters, and a retry that makes a request due and lets the worker do it. The worker Register has today
/// cannot fail a request for good or meet a potential duplicate, so the tests put requests into those states by writing the
/// <c>trs_requests</c> columns themselves in their arrange step (the real worker producing them is tested with the HTTP client).
/// </summary>
[Collection(TraineesCollection.Name)]
public sealed class TrsQueueTests(TraineesFixture fixture) : TraineeApiTest(fixture)
{
    private static readonly string[] Volatile =
    [
        "data[*].id", "data[*].trainee_id", "data[*].provider.id", "data[*].created_at", "data[*].due_at", "data[*].last_attempt_at",
        "data[*].trn_requested_at", "data[*].failed_at",
    ];

    private TrsWorker Worker => Api.Factory.Services.GetRequiredService<TrsWorker>();

    private async Task<string> TraineeAsync(string lastName) => (await CreateTraineeAsync(TraineeRequests.Valid().With("last_name", lastName))).Text("trainee_id");

    /// <summary>Sets columns of the trainee's open request of a kind (the arrange step: see the class's summary).</summary>
    private async Task ArrangeAsync(string traineeId, string set, object? values = null, string kind = "trn")
    {
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        var parameters = new DynamicParameters(values);
        parameters.Add("traineeId", traineeId);
        parameters.Add("kind", kind);
        parameters.Add("now", Api.Clock.GetUtcNow());
        var changed = await connection.ExecuteAsync(
            $"UPDATE trainees.trs_requests r SET {set} FROM trainees.trainees t WHERE t.id = r.trainee_id AND t.slug = @traineeId AND r.kind = @kind AND r.completed_at IS NULL",
            parameters);
        Assert.Equal(1, changed);
    }

    private async Task<string> RequestIdAsync(string traineeId, string kind = "trn")
    {
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        return (await connection.QuerySingleAsync<Guid>(
            "SELECT r.id FROM trainees.trs_requests r JOIN trainees.trainees t ON t.id = r.trainee_id WHERE t.slug = @traineeId AND r.kind = @kind",
            new { traineeId, kind })).ToString();
    }

    private async Task<JsonElement> ListAsync(string query = "")
    {
        var response = await Support.GetAsync($"/support/trs-requests{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.BodyAsync();
    }

    private static List<string> TraineeIds(JsonElement page) => page.GetProperty("data").EnumerateArray().Select(r => r.Text("trainee_id")).ToList();

    /// <summary>
    /// A done request, a plain pending one, a failed one, a potential duplicate TRS's staff have had for three days, one with
    /// five attempts that failed, and a personal data update: each counted where it belongs.
    /// </summary>
    private async Task<(string Done, string Pending, string Failed, string Duplicate, string Struggling)> KnownQueueAsync()
    {
        var done = await TraineeAsync("Done");
        Api.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(2, await Worker.ProcessDueAsync(CancellationToken.None)); // the TRN, then the route it owes TRS

        var failed = await TraineeAsync("Failed");
        var pending = await TraineeAsync("Pending");
        var duplicate = await TraineeAsync("Duplicate");
        var struggling = await TraineeAsync("Struggling");
        await ArrangeAsync(failed, "failed_at = @now, attempts = 1, last_attempt_at = @now, last_error = @error",
            new { error = "TRS answered 400: errorCode 10045, subject reference is not an active training subject" });
        await ArrangeAsync(duplicate, "potential_duplicate = true, trn_request_id = gen_random_uuid(), trn_requested_at = @now - interval '3 days', attempts = 3, last_attempt_at = @now");
        await ArrangeAsync(struggling, "attempts = 5, last_attempt_at = @now, last_error = 'TRS did not answer in 30 seconds'");
        await using (var connection = new NpgsqlConnection(Api.ConnectionString))
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO trainees.trs_requests (id, trainee_id, kind, due_at, created_at)
                SELECT gen_random_uuid(), id, 'personal_data', @due, @now FROM trainees.trainees WHERE slug = @pending
                """,
                new { pending, now = Api.Clock.GetUtcNow(), due = Api.Clock.GetUtcNow().AddMinutes(10) });
        }

        return (done, pending, failed, duplicate, struggling);
    }

    [Fact]
    public async Task The_summary_counts_the_open_requests_by_kind_and_state_and_names_the_oldest()
    {
        var queue = await KnownQueueAsync();

        var response = await Support.GetAsync("/support/trs-requests/summary");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var summary = (await response.BodyAsync()).GetProperty("data");
        Assert.Equal(await RequestIdAsync(queue.Failed), summary.GetProperty("oldest_open").Text("id"));
        await Snapshots.MatchJsonAsync(response, "data.oldest_open.id", "data.oldest_open.created_at");
    }

    [Fact]
    public async Task The_list_shows_the_open_requests_oldest_first_and_filters_by_state_and_kind()
    {
        var queue = await KnownQueueAsync();

        var all = await ListAsync();
        var stuck = await ListAsync("?state=stuck");
        var failed = await ListAsync("?state=failed");
        var pending = await ListAsync("?state=pending");
        var duplicates = await ListAsync("?state=potential_duplicate");
        var either = await ListAsync("?state=failed,potential_duplicate");
        var personalData = await ListAsync("?kind=personal_data");
        var pendingTrns = await ListAsync("?state=pending&kind=trn");
        var secondPage = await ListAsync("?per_page=2&page=2");

        Assert.Equal([queue.Failed, queue.Pending, queue.Duplicate, queue.Struggling, queue.Pending], TraineeIds(all));
        Assert.DoesNotContain(queue.Done, TraineeIds(all));
        Assert.Equal([queue.Duplicate, queue.Struggling], TraineeIds(stuck));
        Assert.Equal([queue.Failed], TraineeIds(failed));
        Assert.Equal([queue.Pending, queue.Pending], TraineeIds(pending));
        Assert.Equal([queue.Duplicate], TraineeIds(duplicates));
        Assert.Equal([queue.Failed, queue.Duplicate], TraineeIds(either));
        Assert.Equal(["personal_data"], personalData.GetProperty("data").EnumerateArray().Select(r => r.Text("kind")));
        Assert.Equal([queue.Pending], TraineeIds(pendingTrns));
        Assert.Equal([queue.Duplicate, queue.Struggling], TraineeIds(secondPage));
        Assert.Equal((5, 3), (secondPage.GetProperty("pagination").GetProperty("total_count").GetInt32(), secondPage.GetProperty("pagination").GetProperty("total_pages").GetInt32()));
        var duplicate = duplicates.GetProperty("data")[0];
        // Waiting counts from when Register owed the request, not from when TRS accepted it.
        Assert.Equal((0, true), (duplicate.GetProperty("days_waiting").GetInt32(), duplicate.GetProperty("potential_duplicate").GetBoolean()));
        Snapshots.MatchJson(all.GetRawText(), Volatile);
    }

    [Fact]
    public async Task A_request_waiting_more_than_an_hour_past_its_due_time_is_stuck()
    {
        var id = await TraineeAsync("Late");
        await ArrangeAsync(id, "due_at = @now - interval '61 minutes'");

        var stuck = await ListAsync("?state=stuck");

        Assert.Equal([id], TraineeIds(stuck));
        Assert.Equal("stuck", stuck.GetProperty("data")[0].Text("state"));
    }

    [Theory]
    [InlineData("?state=stuck,broken", "state")]
    [InlineData("?kind=qts", "kind")]
    [InlineData("?page=0", "page")]
    [InlineData("?per_page=101", "per_page")]
    public async Task A_filter_the_list_does_not_know_is_a_400_naming_it(string query, string field)
    {
        var response = await Support.GetAsync($"/support/trs-requests{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.BodyAsync()).GetProperty("errors")[0];
        Assert.Contains(field, error.Text("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retry_makes_a_failed_request_due_now_and_the_worker_then_does_it()
    {
        var id = await TraineeAsync("Refused");
        await ArrangeAsync(id, "failed_at = @now, due_at = @now + interval '1 day', attempts = 2, last_attempt_at = @now, last_error = 'TRS answered 400'");
        var requestId = await RequestIdAsync(id);
        Api.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(0, await Worker.ProcessDueAsync(CancellationToken.None));

        var retried = await Support.PostAsync($"/support/trs-requests/{requestId}/retry", null);

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var request = (await retried.BodyAsync()).GetProperty("data");
        Assert.Equal(("pending", 0, JsonValueKind.Null, "TRS answered 400"),
            (request.Text("state"), request.GetProperty("attempts").GetInt32(), request.GetProperty("failed_at").ValueKind, request.Text("last_error")));
        Assert.True(request.GetProperty("due_at").GetDateTimeOffset() <= Api.Clock.GetUtcNow());
        Assert.Equal(2, await Worker.ProcessDueAsync(CancellationToken.None)); // the TRN, then the route it owes TRS
        var trainee = await (await Srs.GetAsync($"/api/v2026.1/trainees/{id}")).BodyAsync();
        Assert.Equal("trn_received", trainee.Text("state"));
        Assert.Empty(TraineeIds(await ListAsync()));

        var again = await Support.PostAsync($"/support/trs-requests/{requestId}/retry", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("""{"errors":[{"error":"Conflict","message":"The TRS request is already done"}]}""", await again.Content.ReadAsStringAsync());

        var items = await Support.ItemsAsync($"/support/trainees/{id}/activity");
        var retry = items.Single(i => i.Text("action") == "trs_request_retried");
        Assert.Equal(("Trainee TRS request retried", "Test support"), (retry.Text("headline"), retry.GetProperty("actor").Text("name")));
        Assert.Equal("""[{"field":"trs_request","old_value":null,"new_value":"trn"}]""", retry.GetProperty("changes").GetRawText());
        await Snapshots.MatchJsonAsync(retried, "data.id", "data.trainee_id", "data.provider.id", "data.created_at", "data.due_at", "data.last_attempt_at");
    }

    [Fact]
    public async Task A_retry_of_a_request_register_does_not_have_is_a_404()
    {
        var response = await Support.PostAsync($"/support/trs-requests/{Guid.NewGuid()}/retry", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("""{"errors":[{"error":"NotFound","message":"TRS request not found"}]}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Only_support_tokens_see_or_retry_the_queue()
    {
        var id = await TraineeAsync("Private");
        var requestId = await RequestIdAsync(id);

        var answers = new[]
        {
            await Srs.GetAsync("/support/trs-requests"),
            await Srs.GetAsync("/support/trs-requests/summary"),
            await Srs.PostAsync($"/support/trs-requests/{requestId}/retry", null),
            await Api.Anonymous().GetAsync("/support/trs-requests"),
        };

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode));
        Assert.Equal(0, (await ListAsync()).GetProperty("data")[0].GetProperty("attempts").GetInt32());
    }
}
