using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Register.TestKit;
using Register.Trainees.Features.Trs;
using Serilog.Core;
using Serilog.Events;

namespace Register.Trainees.Tests;

/// <summary>
/// The TRS worker against the fake TRS server over real HTTP (spec §1, §2.2): the trainee's way from submission to TRN,
/// route and award, what is sent, and what happens when TRS answers Pending, refuses, fails, is slow or is down. A second
/// Register process on the fixture's database and fake clock is pointed at the server; the clock moves only when a test moves it.
/// </summary>
[Collection(TraineesCollection.Name)]
public sealed class TrsWorkerTests(TraineesFixture fixture) : TraineeApiTest(fixture)
{
    private FakeTrs _trs = null!;
    private RegisterFactory _process = null!;
    private readonly CapturedLogs _logs = new();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _trs = await FakeTrs.StartAsync();
        _process = Api.NewProcess(s => s.AddSingleton<ILogEventSink>(_logs), _trs.Settings.Append(new("Serilog:MinimumLevel:Default", "Verbose")).ToDictionary());
    }

    public override async Task DisposeAsync()
    {
        await _process.DisposeAsync();
        await _trs.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>Moves the fake clock on and lets the HTTP process's worker do what is due.</summary>
    private async Task<int> WorkAsync(TimeSpan? after = null)
    {
        Api.Clock.Advance(after ?? TimeSpan.FromMinutes(2));
        return await _process.Services.GetRequiredService<TrsWorker>().ProcessDueAsync(CancellationToken.None);
    }

    private async Task<JsonElement> ShowAsync(string id) => await (await Srs.GetAsync($"/api/v2026.1/trainees/{id}")).BodyAsync();

    private async Task<List<TrsRow>> RowsAsync(string id)
    {
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        return (await connection.QueryAsync<TrsRow>(
            """
            SELECT r.kind, r.attempts, r.last_error, r.trn_request_id, r.trn_requested_at IS NOT NULL AS requested, r.potential_duplicate,
                r.completed_at IS NOT NULL AS completed, r.failed_at IS NOT NULL AS failed, r.due_at
            FROM trainees.trs_requests r JOIN trainees.trainees t ON t.id = r.trainee_id WHERE t.slug = @id ORDER BY r.created_at, r.kind
            """, new { id })).ToList();
    }

    /// <summary>A trainee with a TRN and the placements its route needs before a recommendation.</summary>
    private async Task<string> TraineeWithTrnAsync()
    {
        var id = (await CreateTraineeAsync(TraineeRequests.Valid().With("placements_attributes", new[] { new { urn = "900020" }, new { urn = "900010" } }))).Text("trainee_id");
        await WorkAsync();
        Assert.Equal("trn_received", (await ShowAsync(id)).Text("state"));
        return id;
    }

    [Fact]
    public async Task A_new_trainee_gets_its_trn_then_its_route_in_training_and_later_its_award_with_the_bodies_of_the_spec()
    {
        var id = (await CreateTraineeAsync(TraineeRequests.Valid().With("placements_attributes", new[] { new { urn = "900020" }, new { urn = "900010" } }))).Text("trainee_id");

        Assert.Equal(0, await WorkAsync(TimeSpan.Zero)); // not due before Trs:TrnDelay
        Assert.Equal(2, await WorkAsync());
        var withTrn = await ShowAsync(id);
        var recommended = await Srs.PostAsync($"/api/v2026.1/trainees/{id}/update-qts-or-eyts-status", Data(new { qts_standards_met_date = "2026-09-14" }));
        Assert.Equal(1, await WorkAsync());
        var awarded = await ShowAsync(id);

        var trnRequest = _trs.Calls("POST", "/v3/trn-requests").Single();
        var requestId = (await RowsAsync(id)).Single(r => r.Kind == "trn").TrnRequestId;
        Assert.Equal(
            $$"""{"requestId":"{{requestId}}","person":{"firstName":"John","middleName":null,"lastName":"Doe","dateOfBirth":"1990-01-01","emailAddresses":["john.doe@example.com"],"nationalInsuranceNumber":null,"gender":"Male"},"identityVerified":false,"oneLoginUserSubject":null}""",
            trnRequest.Body);
        Assert.Equal("trn_received", withTrn.Text("state"));

        var routes = _trs.Calls("PUT", $"/v3/persons/{withTrn.Text("trn")}/routes-to-professional-statuses/{id}");
        Assert.Equal(2, routes.Count);
        Assert.Equal(
            """{"routeToProfessionalStatusTypeId":"97497716-5ac5-49aa-a444-27fa3e2c152a","status":"InTraining","trainingStartDate":"2026-09-01","trainingEndDate":"2027-07-31","trainingSubjectReferences":["100403"],"trainingAgeSpecialism":{"type":"Range","from":11,"to":16},"trainingCountryReference":"GB","trainingProviderUkprn":"10000001","degreeTypeId":"40a85dd0-8512-438e-8040-649d7d677d07"}""",
            routes[0].Body);
        Assert.Equal("Holds", routes[1].Json.GetProperty("status").GetString());
        Assert.Equal("2026-09-14", routes[1].Json.GetProperty("holdsFrom").GetString());
        Assert.Equal(HttpStatusCode.Accepted, recommended.StatusCode);
        Assert.Equal("awarded", awarded.Text("state"));
        Assert.StartsWith("2026-09-13T23:00:00", awarded.Text("awarded_at"), StringComparison.Ordinal); // the outcome date, in London
        Assert.All(_trs.Requests, r =>
        {
            Assert.Equal("application/json", r.Header("Accept"));
            Assert.Equal("20250627", r.Header("X-Api-Version"));
            Assert.Equal($"Bearer {FakeTrs.ApiKey}", r.Header("Authorization"));
            Assert.Equal(r.Method == "GET" ? null : "application/json;odata.metadata=minimal", r.Header("Content-Type"));
        });
        Assert.All(await RowsAsync(id), r => Assert.True(r.Completed));
    }

    [Fact]
    public async Task A_pending_potential_duplicate_is_polled_with_growing_waits_until_trs_completes_it()
    {
        _trs.CompleteTrnRequests = false;
        _trs.PotentialDuplicate = true;
        var id = (await CreateTraineeAsync()).Text("trainee_id");

        await WorkAsync();
        var pending = (await RowsAsync(id)).Single();
        await WorkAsync(TimeSpan.FromSeconds(5));
        var polledOnce = (await RowsAsync(id)).Single();
        Assert.Equal(0, await WorkAsync(TimeSpan.FromSeconds(5))); // the next wait is 10 s
        var trn = _trs.Complete(pending.TrnRequestId.ToString());
        await WorkAsync(TimeSpan.FromSeconds(5));

        Assert.Equal((true, true, false), (pending.Requested, pending.PotentialDuplicate, pending.Completed));
        Assert.Equal((2, false), (polledOnce.Attempts, polledOnce.Completed));
        Assert.Equal(("trn_received", trn), ((await ShowAsync(id)).Text("state"), (await ShowAsync(id)).Text("trn")));
        Assert.Single(_trs.Calls("POST", "/v3/trn-requests"));
        Assert.Equal(2, _trs.Calls("GET", "/v3/trn-requests").Count);
        Assert.All(_trs.Calls("GET", "/v3/trn-requests"), r => Assert.Equal($"?requestId={pending.TrnRequestId}", r.Query));
    }

    [Fact]
    public async Task A_request_id_trs_already_has_is_polled_and_one_it_lost_is_asked_for_again_with_the_same_id()
    {
        _trs.Answer("POST", "/v3/trn-requests", 409, FakeTrs.Problem(409, "TRN request has already been created.", 10029));
        var id = (await CreateTraineeAsync()).Text("trainee_id");

        await WorkAsync(); // 409: polled next; the fake does not have it (404/10031); asked again
        await WorkAsync(TimeSpan.FromSeconds(5));
        await WorkAsync(TimeSpan.FromSeconds(5));

        var posts = _trs.Calls("POST", "/v3/trn-requests");
        Assert.Equal(2, posts.Count);
        Assert.Single(posts.Select(p => p.Json.GetProperty("requestId").GetString()).Distinct());
        Assert.Single(_trs.Calls("GET", "/v3/trn-requests"));
        Assert.Equal("trn_received", (await ShowAsync(id)).Text("state"));
    }

    [Fact]
    public async Task Server_errors_and_timeouts_are_retried_quickly_then_from_the_queue_and_nothing_is_lost()
    {
        _trs.Answer("POST", "/v3/trn-requests", 500, FakeTrs.Problem(500, "Internal Server Error", null), times: 3);
        var id = (await CreateTraineeAsync()).Text("trainee_id");

        await WorkAsync();
        var afterErrors = (await RowsAsync(id)).Single();
        var errorsAt = Api.Clock.GetUtcNow().UtcDateTime;
        _trs.Delay = TimeSpan.FromSeconds(1.5);
        var watch = Stopwatch.StartNew();
        await WorkAsync(TimeSpan.FromMinutes(1));
        watch.Stop();
        var afterTimeouts = (await RowsAsync(id)).Single();
        _trs.Delay = TimeSpan.Zero;
        await WorkAsync(TimeSpan.FromHours(1));

        Assert.Equal((1, "TRS answered 500 (Internal Server Error)", false, false), (afterErrors.Attempts, afterErrors.LastError, afterErrors.Completed, afterErrors.Failed));
        Assert.True(afterErrors.DueAt > errorsAt.AddSeconds(20), "waits out a backoff");
        Assert.Equal((2, "TRS did not answer in time"), (afterTimeouts.Attempts, afterTimeouts.LastError));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"each attempt stops at Trs:AttemptTimeout ({watch.Elapsed})");
        var posts = _trs.Calls("POST", "/v3/trn-requests");
        Assert.Equal(7, posts.Count); // 3 answered 500, 3 timed out, 1 answered
        Assert.Single(posts.Select(p => p.Json.GetProperty("requestId").GetString()).Distinct());
        Assert.Equal("trn_received", (await ShowAsync(id)).Text("state"));
    }

    [Fact]
    public async Task While_trs_is_down_requests_wait_the_circuit_opens_and_when_trs_is_back_they_go_through()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await CreateTraineeAsync(TraineeRequests.Valid().With("first_names", $"Down{(char)('A' + i)}").With("last_name", $"Outage{(char)('A' + i)}"))).Text("trainee_id"));
        }

        _trs.DropConnections = true;
        await WorkAsync();
        var down = (await Task.WhenAll(ids.Select(RowsAsync))).Select(r => r.Single()).ToList();
        var callsWhileDown = _trs.Requests.Count;
        var health = await (await _process.CreateClient().GetAsync("/health/dependencies")).BodyAsync();
        _trs.DropConnections = false;
        await Task.Delay(TimeSpan.FromMilliseconds(700)); // Trs:CircuitBreakDuration
        await WorkAsync(TimeSpan.FromHours(1));

        Assert.All(down, r => Assert.Equal((1, false, false), (r.Attempts, r.Completed, r.Failed)));
        Assert.Contains(down, r => r.LastError!.StartsWith("TRS could not be reached", StringComparison.Ordinal));
        Assert.Contains(down, r => r.LastError == "TRS circuit open: calls are paused after repeated failures");
        Assert.Equal(10, callsWhileDown); // Trs:CircuitMinimumCalls failed attempts, then none (of 5 × 3)
        Assert.Equal("degraded", health.GetProperty("checks").GetProperty("trs").Text("status"));
        Assert.Equal("open", health.GetProperty("checks").GetProperty("trs").GetProperty("data").Text("circuit"));
        foreach (var id in ids)
        {
            Assert.Equal("trn_received", (await ShowAsync(id)).Text("state"));
        }
    }

    [Fact]
    public async Task An_award_trs_already_holds_10052_counts_as_done()
    {
        var id = await TraineeWithTrnAsync();
        _trs.Answer("PUT", "/v3/persons/", 400, FakeTrs.Problem(400, "Route to professional status already awarded.", 10052));

        await Srs.PostAsync($"/api/v2026.1/trainees/{id}/update-qts-or-eyts-status", Data(new { qts_standards_met_date = "2026-09-14" }));
        await WorkAsync();

        Assert.Equal("awarded", (await ShowAsync(id)).Text("state"));
        Assert.True((await RowsAsync(id)).Single(r => r.Kind == "award").Completed);
    }

    [Fact]
    public async Task A_refusal_trs_explains_fails_the_request_with_its_code_not_its_body_and_an_edit_owes_it_again()
    {
        var id = (await CreateTraineeAsync()).Text("trainee_id");
        _trs.Answer("PUT", "/v3/persons/", 400, new { title = "Subject not found.", detail = "John Doe 100403", status = 400, errorCode = 10045 });
        await WorkAsync();
        var failed = (await RowsAsync(id)).Single(r => r.Kind == "route");
        Assert.Equal(0, await WorkAsync(TimeSpan.FromHours(2))); // past the longest backoff (an hour); the shared clock stays on 15 September

        var edited = await Srs.PutAsync($"/api/v2026.1/trainees/{id}", Data(new { course_age_range = "13919" }));
        await WorkAsync(TimeSpan.Zero);

        Assert.Equal((true, "TRS answered 400, errorCode 10045 (Subject not found.)"), (failed.Failed, failed.LastError));
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var route = (await RowsAsync(id)).Single(r => r.Kind == "route");
        Assert.Equal((true, false), (route.Completed, route.Failed));
        Assert.Equal(19, _trs.Calls("PUT", "/v3/persons/")[^1].Json.GetProperty("trainingAgeSpecialism").GetProperty("to").GetInt32());
    }

    [Fact]
    public async Task A_rejected_trn_request_10062_fails_and_waits_for_support()
    {
        _trs.CompleteTrnRequests = false;
        var id = (await CreateTraineeAsync()).Text("trainee_id");
        await WorkAsync();
        _trs.Reject((await RowsAsync(id)).Single().TrnRequestId.ToString());

        await WorkAsync(TimeSpan.FromMinutes(1));

        var row = (await RowsAsync(id)).Single();
        Assert.Equal((true, "TRS answered 400, errorCode 10062 (TRN request has been rejected.)"), (row.Failed, row.LastError));
        Assert.Equal("submitted_for_trn", (await ShowAsync(id)).Text("state"));
    }

    [Fact]
    public async Task An_edit_sends_the_personal_data_in_trs_contract_and_a_deferral_and_withdrawal_the_route_status()
    {
        var id = await TraineeWithTrnAsync();
        var trn = (await ShowAsync(id)).Text("trn");

        await Srs.PutAsync($"/api/v2026.1/trainees/{id}", Data(new { first_names = "Augusta", email = "augusta@example.com" }));
        await WorkAsync(TimeSpan.Zero);
        _trs.Answer("PUT", $"/v3/persons/{trn}", 400, FakeTrs.Problem(400, "Updates to PII data is not permitted.", 10041));
        await Srs.PutAsync($"/api/v2026.1/trainees/{id}", Data(new { last_name = "King" }));
        await WorkAsync(TimeSpan.Zero);
        var deferred = await Srs.PostAsync($"/api/v2026.1/trainees/{id}/defer", Data(new { defer_date = "2026-09-14", defer_reason = "Illness" }));
        await WorkAsync(TimeSpan.Zero);

        var persons = _trs.Requests.Where(r => r.Method == "PUT" && r.Path == $"/v3/persons/{trn}").ToList();
        Assert.Equal(2, persons.Count);
        var person = persons[0].Json;
        Assert.Equal(["firstName", "middleName", "lastName", "dateOfBirth", "emailAddress", "gender"], person.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("Augusta", "augusta@example.com", JsonValueKind.Null), (person.Text("firstName"), person.Text("emailAddress"), person.GetProperty("middleName").ValueKind));
        Assert.Equal(HttpStatusCode.OK, deferred.StatusCode);
        var routes = _trs.Calls("PUT", $"/v3/persons/{trn}/routes-to-professional-statuses/");
        Assert.Equal(["InTraining", "Deferred"], routes.Select(r => r.Json.Text("status")));
        Assert.All(await RowsAsync(id), r => Assert.True(r.Completed, $"{r.Kind}: {r.LastError}"));
    }

    [Fact]
    public async Task The_logs_of_a_run_hold_no_personal_data_and_no_api_key()
    {
        var id = (await CreateTraineeAsync(TraineeRequests.Valid().With("first_names", "Zebedee").With("last_name", "Quixotic").With("date_of_birth", "1987-03-04")
            .With("email", "zq.secret@example.com"))).Text("trainee_id");
        _trs.Answer("POST", "/v3/trn-requests", 503, FakeTrs.Problem(503, "Service Unavailable", null), times: 3);
        await WorkAsync();
        await WorkAsync(TimeSpan.FromHours(1));
        _trs.Answer("PUT", "/v3/persons/", 400, new { title = "Validation failed", status = 400, errors = new Dictionary<string, string[]> { ["firstName"] = ["Xanthippe is not valid"] } });
        await Srs.PutAsync($"/api/v2026.1/trainees/{id}", Data(new { first_names = "Xanthippe" }));
        await WorkAsync(TimeSpan.Zero);

        var text = string.Join("\n", _logs.Select(e => e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture) + " " + string.Join(" ", e.Properties.Select(p => p.Value.ToString())) + " " + e.Exception));
        Assert.NotEmpty(_logs);
        Assert.Contains(_logs, e => e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("TRS answered 503", StringComparison.Ordinal));
        foreach (var secret in new[] { "Zebedee", "Xanthippe", "Quixotic", "zq.secret", "1987-03-04", "1987", FakeTrs.ApiKey })
        {
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains(await RowsAsync(id), r => r.LastError == "TRS answered 400 (Validation failed: firstName)");
        Assert.All(await RowsAsync(id), r => Assert.DoesNotContain("Xanthippe", r.LastError ?? "", StringComparison.Ordinal));
    }

    private sealed record TrsRow
    {
        public string Kind { get; init; } = "";

        public int Attempts { get; init; }

        public string? LastError { get; init; }

        public Guid TrnRequestId { get; init; }

        public bool Requested { get; init; }

        public bool PotentialDuplicate { get; init; }

        public bool Completed { get; init; }

        public bool Failed { get; init; }

        public DateTime DueAt { get; init; }
    }

    private sealed class CapturedLogs : ConcurrentQueue<LogEvent>, ILogEventSink
    {
        public void Emit(LogEvent logEvent) => Enqueue(logEvent);
    }
}
