using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Register.TestKit;
using Register.Trainees.Features.Trs;

namespace Register.Trainees.Tests;

/// <summary>
/// The trainee lifecycle (spec §2.2–§2.4, §4.5–§4.7): TRN from the simulated TRS, withdraw, defer, recommend and the award,
/// each transition and each refusal. The fixture's clock moves only when a test moves it, so TRS answers when told to.
/// </summary>
[Collection(TraineesCollection.Name)]
public sealed class LifecycleTests(TraineesFixture fixture) : TraineeApiTest(fixture)
{
    private static readonly object Withdrawal = new
    {
        withdrawal_date = "2026-09-10",
        trigger = "provider",
        future_interest = "no",
        reasons = new[] { "record_added_in_error" },
    };

    /// <summary>Moves the clock on past TRS's delays and lets the TRS worker do what is due.</summary>
    private async Task<int> TrsAnswersAsync()
    {
        Api.Clock.Advance(TimeSpan.FromMinutes(2));
        return await Api.Factory.Services.GetRequiredService<TrsWorker>().ProcessDueAsync(CancellationToken.None);
    }

    private async Task<JsonElement> ShowAsync(string id, string version = "v2026.1") => await (await Srs.GetAsync($"/api/{version}/trainees/{id}")).BodyAsync();

    private async Task<string> TraineeWithTrnAsync(Dictionary<string, object?>? trainee = null)
    {
        var id = (await CreateTraineeAsync(trainee)).Text("trainee_id");
        await TrsAnswersAsync();
        Assert.Equal("trn_received", (await ShowAsync(id)).Text("state"));
        return id;
    }

    [Fact]
    public async Task The_simulated_trs_allocates_a_seven_digit_trn_and_later_awards()
    {
        var id = (await CreateTraineeAsync(TraineeRequests.Valid().With("placements_attributes", new[] { new { urn = "900020" }, new { urn = "900010" } }))).Text("trainee_id");
        var beforeTrs = await ShowAsync(id);

        Assert.Equal(0, await Api.Factory.Services.GetRequiredService<TrsWorker>().ProcessDueAsync(CancellationToken.None));
        Assert.Equal(2, await TrsAnswersAsync()); // the TRN, then the route it owes TRS
        var withTrn = await ShowAsync(id);
        var recommended = await Srs.PostAsync($"/api/v2026.1/trainees/{id}/update-qts-or-eyts-status", Data(new { qts_standards_met_date = "2026-09-14" }));
        Assert.Equal(1, await TrsAnswersAsync());
        var awarded = await ShowAsync(id);

        Assert.Equal(("submitted_for_trn", JsonValueKind.Null), (beforeTrs.Text("state"), beforeTrs.GetProperty("trn").ValueKind));
        Assert.Equal("trn_received", withTrn.Text("state"));
        Assert.Matches("^[0-9]{7}$", withTrn.Text("trn"));
        Assert.Equal(HttpStatusCode.Accepted, recommended.StatusCode);
        var data = (await recommended.BodyAsync()).GetProperty("data");
        Assert.Equal(("recommended_for_award", "2026-09-14"), (data.Text("state"), data.Text("outcome_date")));
        Assert.Matches("^2026-09-15T[0-9:]{8}Z$", data.Text("recommended_for_award_at"));
        Assert.Equal("awarded", awarded.Text("state"));
        Assert.Equal(JsonValueKind.String, awarded.GetProperty("awarded_at").ValueKind);
        Assert.Equal(withTrn.Text("trn"), awarded.Text("trn"));
    }

    [Fact]
    public async Task Trs_work_survives_a_restart_because_it_is_in_the_database()
    {
        var id = (await CreateTraineeAsync()).Text("trainee_id");
        Api.Clock.Advance(TimeSpan.FromMinutes(2));

        await using var restarted = Api.NewProcess();
        var done = await restarted.Services.GetRequiredService<TrsWorker>().ProcessDueAsync(CancellationToken.None);

        Assert.Equal(2, done);
        Assert.Equal("trn_received", (await ShowAsync(id)).Text("state"));
    }

    [Fact]
    public async Task A_request_whose_work_fails_is_put_off_and_does_not_hold_up_the_others()
    {
        var poisoned = (await CreateTraineeAsync(TraineeRequests.Valid().With("first_names", "Poison"))).Text("trainee_id");
        var healthy = (await CreateTraineeAsync(TraineeRequests.Valid().With("first_names", "Healthy").With("last_name", "Other"))).Text("trainee_id");
        Api.Clock.Advance(TimeSpan.FromMinutes(2));

        await using var failing = Api.NewProcess(s => s.AddTransient<ITeachingRegulationService, FailsForPoison>());
        var done = await failing.Services.GetRequiredService<TrsWorker>().ProcessDueAsync(CancellationToken.None);

        Assert.Equal(3, done);
        Assert.Equal("trn_received", (await ShowAsync(healthy)).Text("state"));
        Assert.Equal("submitted_for_trn", (await ShowAsync(poisoned)).Text("state"));
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        var request = await connection.QuerySingleAsync<(string? LastError, int Attempts, DateTime DueAt)>(
            "SELECT r.last_error, r.attempts, r.due_at FROM trainees.trs_requests r JOIN trainees.trainees t ON t.id = r.trainee_id WHERE t.slug = @poisoned",
            new { poisoned });
        Assert.Equal(("Register failed: InvalidOperationException", 1), (request.LastError, request.Attempts));
        Assert.True(request.DueAt > Api.Clock.GetUtcNow().UtcDateTime, "the failed request waits out a backoff");
    }

    private sealed class FailsForPoison(NpgsqlDataSource db, TimeProvider clock) : ITeachingRegulationService
    {
        private readonly SimulatedTeachingRegulationService _simulator = new(db, clock);

        public string Kind => "test";

        public Task<TrsAnswer<TrnRequestInfo>> CreateTrnRequestAsync(TrnRequestBody body, CancellationToken ct) =>
            body.Person.FirstName == "Poison" ? throw new InvalidOperationException("a bug in the TRS client") : _simulator.CreateTrnRequestAsync(body, ct);

        public Task<TrsAnswer<TrnRequestInfo>> GetTrnRequestAsync(string requestId, CancellationToken ct) => _simulator.GetTrnRequestAsync(requestId, ct);

        public Task<TrsAnswer<bool>> SetPersonalDataAsync(string trn, PersonalDataBody body, CancellationToken ct) => _simulator.SetPersonalDataAsync(trn, body, ct);

        public Task<TrsAnswer<bool>> SetRouteAsync(string trn, string reference, RouteBody body, CancellationToken ct) => _simulator.SetRouteAsync(trn, reference, body, ct);

        public Task<TrsAnswer<JsonElement>> GetPersonAsync(string trn, CancellationToken ct) => _simulator.GetPersonAsync(trn, ct);
    }

    [Fact]
    public async Task A_trainee_withdraws_with_reasons_for_its_trigger()
    {
        var id = await TraineeWithTrnAsync();

        var response = await Srs.PostAsync($"/api/v2026.1/trainees/{id}/withdraw", Data(new
        {
            withdrawal_date = "2026-09-10",
            trigger = "trainee",
            future_interest = "yes",
            reasons = new[] { "trainee_chose_to_withdraw_another_reason", "safeguarding_concerns" },
            another_reason = "Moved abroad",
            safeguarding_concern_reasons = "Reported to the DSL",
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var trainee = (await response.BodyAsync()).GetProperty("data");
        Assert.Equal(("withdrawn", "2026-09-10", "trainee", "yes"),
            (trainee.Text("state"), trainee.Text("withdrawal_date"), trainee.Text("withdrawal_trigger"), trainee.Text("withdrawal_future_interest")));
        Assert.Equal("""["trainee_chose_to_withdraw_another_reason","safeguarding_concerns"]""", trainee.GetProperty("withdrawal_reasons").GetRawText());
        Assert.Equal(("Moved abroad", "Reported to the DSL"), (trainee.Text("withdrawal_another_reason"), trainee.Text("withdrawal_safeguarding_concern_reasons")));
    }

    [Fact]
    public async Task A_withdrawal_without_date_trigger_or_valid_reasons_gets_every_message()
    {
        var id = (await CreateTraineeAsync()).Text("trainee_id");

        var response = await Srs.PostAsync($"/api/v2026.1/trainees/{id}/withdraw", Data(new { reasons = new[] { "invalid_reason" } }));

        Assert.Equal(
            """{"errors":[{"error":"UnprocessableEntity","message":"withdrawal_date Choose a withdrawal date"},{"error":"UnprocessableEntity","message":"reasons entered not valid for selected trigger eg unacceptable_behaviour for a trainee trigger"},{"error":"UnprocessableEntity","message":"trigger is not included in the list"},{"error":"UnprocessableEntity","message":"future_interest is not included in the list"}]}""",
            await response.Content.ReadAsStringAsync());
        Assert.Equal("submitted_for_trn", (await ShowAsync(id)).Text("state"));
    }

    [Theory]
    [InlineData("withdrawal_date", "2026-13-01", "withdrawal_date Choose a valid withdrawal date")]
    [InlineData("withdrawal_date", "2026-08-31", "withdrawal_date must be after itt_start_date")]
    [InlineData("reasons", null, "reasons Choose one or more reasons why the trainee withdrew from the course")]
    [InlineData("reasons", "record_added_in_error", "reasons Choose one or more reasons why the trainee withdrew from the course")]
    [InlineData("trigger", "trainee", "reasons entered not valid for selected trigger eg unacceptable_behaviour for a trainee trigger")]
    [InlineData("future_interest", "maybe", "future_interest is not included in the list")]
    public async Task Each_withdrawal_rule_has_its_message(string field, string? value, string message)
    {
        var id = (await CreateTraineeAsync()).Text("trainee_id");
        var body = new Dictionary<string, object?>
        {
            ["withdrawal_date"] = "2026-09-10",
            ["trigger"] = "provider",
            ["future_interest"] = "no",
            ["reasons"] = new[] { "record_added_in_error" },
        };
        body[field] = value;

        var errors = await ErrorsAsync(await Srs.PostAsync($"/api/v2026.1/trainees/{id}/withdraw", Data(body)));

        Assert.Equal([message], errors);
    }

    [Fact]
    public async Task Another_reason_and_safeguarding_concerns_need_their_text()
    {
        var id = (await CreateTraineeAsync()).Text("trainee_id");

        var errors = await ErrorsAsync(await Srs.PostAsync($"/api/v2026.1/trainees/{id}/withdraw", Data(new
        {
            withdrawal_date = "2026-09-10",
            trigger = "provider",
            future_interest = "unknown",
            reasons = new[] { "had_to_withdraw_trainee_another_reason", "safeguarding_concerns" },
        })));

        Assert.Equal(["another_reason Enter another reason", "safeguarding_concern_reasons Enter the concerns"], errors);
    }

    [Fact]
    public async Task Withdrawing_before_the_course_starts_or_twice_is_a_state_transition_error()
    {
        var future = (await CreateTraineeAsync(TraineeRequests.Valid().With("itt_start_date", "2026-10-01").With("trainee_start_date", "2026-10-01"))).Text("trainee_id");
        var id = (await CreateTraineeAsync(TraineeRequests.Valid().With("first_names", "Again").With("email", "again@example.com"))).Text("trainee_id");
        await Srs.PostAsync($"/api/v2026.1/trainees/{id}/withdraw", Data(Withdrawal));

        foreach (var trainee in new[] { future, id })
        {
            var response = await Srs.PostAsync($"/api/v2026.1/trainees/{trainee}/withdraw", Data(Withdrawal));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Equal("""{"errors":[{"error":"StateTransitionError","message":"It’s not possible to perform this action while the trainee is in its current state"}]}""",
                await response.Content.ReadAsStringAsync());
        }

        Assert.Equal("submitted_for_trn", (await ShowAsync(future)).Text("state"));
    }

    [Fact]
    public async Task V2025_0_withdraws_with_withdraw_date_and_answers_its_names()
    {
        var id = (await CreateTraineeAsync(TraineeRequests.ValidV2025(), "v2025.0")).Text("trainee_id");

        var missing = await ErrorsAsync(await Srs.PostAsync($"/api/v2025.0/trainees/{id}/withdraw", Data(new { trigger = "provider", future_interest = "no", reasons = new[] { "record_added_in_error" } })));
        var response = await Srs.PostAsync($"/api/v2025.0/trainees/{id}/withdraw", Data(new { withdraw_date = "2026-09-10", trigger = "provider", future_interest = "no", reasons = new[] { "record_added_in_error" } }));

        Assert.Equal(["withdraw_date Choose a withdrawal date"], missing);
        var trainee = (await response.BodyAsync()).GetProperty("data");
        Assert.Equal(("2026-09-10", """["record_added_in_error"]"""), (trainee.Text("withdraw_date"), trainee.GetProperty("withdraw_reasons").GetRawText()));
    }

    [Fact]
    public async Task A_trainee_defers_and_a_deferred_one_can_still_withdraw()
    {
        var id = await TraineeWithTrnAsync();

        var deferred = await Srs.PostAsync($"/api/v2026.1/trainees/{id}/defer", Data(new { defer_date = "2026-09-12", defer_reason = "Family reasons" }));
        var again = await ErrorsAsync(await Srs.PostAsync($"/api/v2026.1/trainees/{id}/defer", Data(new { defer_date = "2026-09-13" })));
        var withdrawn = await Srs.PostAsync($"/api/v2026.1/trainees/{id}/withdraw", Data(Withdrawal));

        var trainee = (await deferred.BodyAsync()).GetProperty("data");
        Assert.Equal(("deferred", "2026-09-12", "Family reasons", "2026-09-01"),
            (trainee.Text("state"), trainee.Text("defer_date"), trainee.Text("defer_reason"), trainee.Text("trainee_start_date")));
        Assert.Equal(["state is invalid must be one of [submitted_for_trn, trn_received]"], again);
        Assert.Equal("withdrawn", (await withdrawn.BodyAsync()).GetProperty("data").Text("state"));
    }

    [Theory]
    [InlineData(null, "defer_date can't be blank")]
    [InlineData("12/09/2026", "defer_date is invalid")]
    public async Task A_deferral_needs_a_date_and_leaves_the_trainee_as_it_was_when_refused(string? date, string message)
    {
        var id = (await CreateTraineeAsync()).Text("trainee_id");

        var errors = await ErrorsAsync(await Srs.PostAsync($"/api/v2026.1/trainees/{id}/defer", Data(new { defer_date = date, defer_reason = new string('x', 501) })));

        Assert.Equal([message, "defer_reason is too long (maximum is 500 characters)"], errors);
        Assert.Equal("submitted_for_trn", (await ShowAsync(id)).Text("state"));
    }

    [Theory]
    [InlineData("update-qts-or-eyts-status")]
    [InlineData("recommend-for-qts")]
    public async Task Both_recommend_urls_need_a_trn_the_degree_and_the_routes_placements(string path)
    {
        var noPlacements = await TraineeWithTrnAsync();
        var noTrn = (await CreateTraineeAsync(TraineeRequests.Valid().With("first_names", "NoTrn").With("email", "notrn@example.com"))).Text("trainee_id");

        var stateError = await ErrorsAsync(await Srs.PostAsync($"/api/v2026.1/trainees/{noTrn}/{path}", Data(new { qts_standards_met_date = "2026-09-14" })));
        var placementsError = await ErrorsAsync(await Srs.PostAsync($"/api/v2026.1/trainees/{noPlacements}/{path}", Data(new { qts_standards_met_date = "2026-09-14" })));
        var blank = await ErrorsAsync(await Srs.PostAsync($"/api/v2026.1/trainees/{noPlacements}/{path}", Data(new { qts_standards_met_date = "" })));
        var future = await ErrorsAsync(await Srs.PostAsync($"/api/v2026.1/trainees/{noPlacements}/{path}", Data(new { qts_standards_met_date = "2026-09-16" })));
        var early = await ErrorsAsync(await Srs.PostAsync($"/api/v2026.1/trainees/{noPlacements}/{path}", Data(new { qts_standards_met_date = "2026-08-31" })));

        Assert.Equal(["placements must be at least 2 for the provider_led_postgrad training route", "state must be selected as trn_received"], stateError);
        Assert.Equal(["placements must be at least 2 for the provider_led_postgrad training route"], placementsError);
        Assert.Contains("qts_standards_met_date can't be blank. Enter a date the trainee met the QTS or EYTS requirements.", blank);
        Assert.Contains("qts_standards_met_date must not be in the future", future);
        Assert.Contains("qts_standards_met_date must be after itt_start_date", early);
    }

    [Fact]
    public async Task An_iqts_trainee_needs_one_placement_and_a_postgraduate_one_a_degree()
    {
        var iqts = await TraineeWithTrnAsync(TraineeRequests.Valid().With("training_route", "15").With("iqts_country", "AE"));
        var assessmentOnly = await TraineeWithTrnAsync(TraineeRequests.Valid().With("first_names", "Ao").With("email", "ao@example.com").With("training_route", "16"));
        var degree = (await ShowAsync(assessmentOnly)).GetProperty("degrees")[0].Text("degree_id");
        await Srs.DeleteAsync($"/api/v2026.1/trainees/{assessmentOnly}/degrees/{degree}");

        var iqtsErrors = await ErrorsAsync(await Srs.PostAsync($"/api/v2026.1/trainees/{iqts}/recommend-for-qts", Data(new { qts_standards_met_date = "2026-09-14" })));
        var degreeErrors = await ErrorsAsync(await Srs.PostAsync($"/api/v2026.1/trainees/{assessmentOnly}/recommend-for-qts", Data(new { qts_standards_met_date = "2026-09-14" })));

        Assert.Equal(["placements must be at least 1 for the iqts training route"], iqtsErrors);
        Assert.Equal(["degree_id must be completed before qts_standards_met_date"], degreeErrors);
    }

    [Fact]
    public async Task Lifecycle_steps_are_in_the_trainees_timeline_by_who_did_them()
    {
        var id = await TraineeWithTrnAsync();
        await Srs.PostAsync($"/api/v2026.1/trainees/{id}/withdraw", Data(Withdrawal));

        var headlines = (await Support.ItemsAsync($"/support/providers/{ProviderId}/activity"))
            .Where(i => i.Text("record_type") == "trainee").Select(i => (i.Text("headline"), i.GetProperty("actor").Text("name"))).ToList();

        Assert.Equal([("Trainee withdrawn", "Acme SRS"), ("Trainee given a TRN", "Teaching Regulation Service"), ("Trainee added", "Acme SRS")], headlines);
    }

    [Fact]
    public async Task Another_providers_trainee_cannot_be_withdrawn_deferred_or_recommended()
    {
        var id = (await CreateTraineeAsync()).Text("trainee_id");
        var other = await OtherProviderAsync();

        foreach (var path in new[] { "withdraw", "defer", "update-qts-or-eyts-status", "recommend-for-qts" })
        {
            var response = await other.PostAsync($"/api/v2026.1/trainees/{id}/{path}", Data(new { defer_date = "2026-09-12" }));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }
}
