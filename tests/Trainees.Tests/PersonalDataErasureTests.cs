using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Register.BuildingBlocks.Outbox;
using Register.TestKit;
using Register.Trainees.Features.Trs;
using Register.Trainees.Features.Uploads;

namespace Register.Trainees.Tests;

/// <summary>
/// Support erases a trainee's personal data (ADR 16): the trainee API then answers the record without its personal values
/// and refuses to change it, the activity log keeps the facts of every change with the values replaced, and the module's own
/// copies (the upload row that made it, its notifications in the outbox) lose them too; TRS is never asked about it.
/// </summary>
[Collection(TraineesCollection.Name)]
public sealed class PersonalDataErasureTests(TraineesFixture fixture) : TraineeApiTest(fixture)
{
    /// <summary>Values of the test trainee that are personal data, none of which may survive an erasure anywhere (none can be part of an id or a time).</summary>
    private static readonly string[] PersonalValues = ["John", "Jonathan", "Doe", "1990-01-01", "john.doe@example.com", "0310261553101"];

    private static readonly string[] TraineeRecordTypes = ["trainee", "degree", "placement"];

    private Task<HttpResponseMessage> EraseAsync(string traineeId, object? body = null, HttpClient? client = null) =>
        (client ?? Support).PostAsJsonAsync($"/support/trainees/{traineeId}/erase", body ?? new { reason = "Added in error by the provider" });

    /// <summary>A trainee (with a degree), then changed: its name, its degree's grade and a placement.</summary>
    private async Task<string> ChangedTraineeAsync()
    {
        var trainee = await CreateTraineeAsync();
        var id = trainee.Text("trainee_id");
        Assert.Equal(HttpStatusCode.OK, (await Srs.PatchAsync($"/api/v2026.1/trainees/{id}", Data(new { first_names = "Jonathan" }))).StatusCode);
        var degree = trainee.GetProperty("degrees")[0].Text("degree_id");
        Assert.Equal(HttpStatusCode.OK, (await Srs.PatchAsync($"/api/v2026.1/trainees/{id}/degrees/{degree}", Data(new { grade = "01" }))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Srs.PostAsync($"/api/v2026.1/trainees/{id}/placements", Data(new { urn = "900020" }))).StatusCode);
        return id;
    }

    [Fact]
    public async Task Erasing_a_trainee_redacts_its_values_in_the_api_and_in_every_timeline_keeping_the_facts_of_each_change()
    {
        var id = await ChangedTraineeAsync();
        var before = await Support.ItemsAsync($"/support/trainees/{id}/activity");
        Assert.Equal(5, before.Count);
        Assert.Contains(before, i => i.GetProperty("changes").GetRawText().Contains("Jonathan", StringComparison.Ordinal));

        var erased = await EraseAsync(id);

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        await Snapshots.MatchJsonAsync(erased, "data.trainee_id", "data.provider_id", "data.erased_at", "data.erased_by.id");
        var data = (await erased.BodyAsync()).GetProperty("data");
        Assert.Equal((id, ProviderId, "Test support", "Added in error by the provider"),
            (data.Text("trainee_id"), data.GetProperty("provider_id").GetGuid(), data.GetProperty("erased_by").Text("name"), data.Text("reason")));

        // The trainee API: the record is there, with its course and state, and without a personal value.
        foreach (var version in new[] { "v2025.0", "v2026.0", "v2026.1" })
        {
            var shown = await (await Srs.GetAsync($"/api/{version}/trainees/{id}")).BodyAsync();
            foreach (var field in new[]
                     {
                         "first_names", "last_name", "middle_names", "date_of_birth", "email", "sex", "nationality", "ethnicity", "ethnic_group",
                         "ethnic_background", "diversity_disclosure", "disability_disclosure", "hesa_id", "trn", "ni_number", "provider_trainee_id",
                     })
            {
                Assert.True(shown.GetProperty(field).ValueKind == JsonValueKind.Null, $"{version} {field}: {shown.GetProperty(field)}");
            }

            Assert.Equal((id, "submitted_for_trn", "12", "2026-09-01"), (shown.Text("trainee_id"), shown.Text("state"), shown.Text("training_route"), shown.Text("itt_start_date")));
            var degree = shown.GetProperty("degrees")[0];
            Assert.All(new[] { "subject", "institution", "grade", "uk_degree", "graduation_year" }, f => Assert.Equal(JsonValueKind.Null, degree.GetProperty(f).ValueKind));
            Assert.Equal("900020", shown.GetProperty("placements")[0].Text("urn"));
            Assert.DoesNotContain(PersonalValues, v => shown.GetRawText().Contains(v, StringComparison.Ordinal));
        }

        var list = await (await Srs.GetAsync("/api/v2026.1/trainees")).BodyAsync();
        Assert.Equal(id, list.GetProperty("data")[0].Text("trainee_id"));

        // Every timeline: the same items, newest first, with their fields, actions, actors and times, and no value.
        var timelines = new Dictionary<string, List<JsonElement>>
        {
            ["trainee"] = await Support.ItemsAsync($"/support/trainees/{id}/activity"),
            ["provider"] = (await Support.ItemsAsync($"/support/providers/{ProviderId}/activity")).Where(i => TraineeRecordTypes.Contains(i.Text("record_type"))).ToList(),
            ["global"] = (await Support.ItemsAsync("/support/activity")).Where(i => TraineeRecordTypes.Contains(i.Text("record_type"))).ToList(),
        };
        foreach (var (name, items) in timelines)
        {
            Assert.True(
                new[] { "Trainee erased", "Trainee placement added", "Trainee degree updated", "Trainee updated", "Trainee degree added", "Trainee added" }
                    .SequenceEqual(items.Select(i => i.Text("headline"))),
                $"{name}: {string.Join(", ", items.Select(i => i.Text("headline")))}");
            Assert.DoesNotContain(items, i => PersonalValues.Any(v => i.GetRawText().Contains(v, StringComparison.Ordinal)));
            Assert.Equal(
                before.Select(i => (i.Text("id"), i.Text("occurred_at"), i.GetProperty("actor").Text("name"), Fields(i))),
                items.Skip(1).Select(i => (i.Text("id"), i.Text("occurred_at"), i.GetProperty("actor").Text("name"), Fields(i))));
        }

        var items2 = timelines["trainee"];
        Assert.Equal("""[{"field":"erasure_reason","old_value":null,"new_value":"Added in error by the provider"}]""", items2[0].GetProperty("changes").GetRawText());
        Assert.Equal("Test support", items2[0].GetProperty("actor").Text("name"));
        Assert.Equal("""[{"field":"first_names","old_value":"[erased]","new_value":"[erased]"}]""",
            items2.Single(i => i.Text("headline") == "Trainee updated").GetProperty("changes").GetRawText());
        Assert.Contains(items2.Single(i => i.Text("headline") == "Trainee degree updated").GetProperty("changes").EnumerateArray(),
            c => (c.Text("field"), c.Text("old_value"), c.Text("new_value")) == ("grade", "[erased]", "[erased]"));
        var added = items2.Single(i => i.Text("headline") == "Trainee added").GetProperty("changes").EnumerateArray().ToList();
        Assert.Contains(added, c => (c.Text("field"), c.Text("new_value")) == ("training_route", "12"));
        Assert.Contains(added, c => (c.Text("field"), c.Text("new_value")) == ("last_name", "[erased]"));

        // What the database keeps: no value in the activity log or the module's outbox, and the record marked erased.
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        var stored = string.Join("\n", await connection.QueryAsync<string>("SELECT changes::text FROM activity_log.activity_items"))
            + string.Join("\n", await connection.QueryAsync<string>("SELECT payload::text FROM trainees.outbox"));
        Assert.DoesNotContain(PersonalValues, v => stored.Contains(v, StringComparison.Ordinal));
        var record = await connection.QuerySingleAsync<(DateTime? ErasedAt, string ErasedByName, string Reason, string? LastName)>(
            "SELECT erased_at, erased_by_name, erasure_reason, last_name FROM trainees.trainees WHERE slug = @id", new { id });
        Assert.Equal(("Test support", "Added in error by the provider", (string?)null), (record.ErasedByName, record.Reason, record.LastName));
        Assert.NotNull(record.ErasedAt);
    }

    private static string Fields(JsonElement item) => string.Join(",", item.GetProperty("changes").EnumerateArray().Select(c => c.Text("field")));

    [Fact]
    public async Task An_erased_trainee_cannot_change_in_any_version_and_is_never_sent_to_trs()
    {
        var trainee = await CreateTraineeAsync();
        var id = trainee.Text("trainee_id");
        var degree = trainee.GetProperty("degrees")[0].Text("degree_id");
        Assert.Equal(HttpStatusCode.OK, (await EraseAsync(id)).StatusCode);
        var activity = (await Support.ItemsAsync($"/support/trainees/{id}/activity")).Count;

        var refusals = new[]
        {
            await Srs.PatchAsync($"/api/v2026.1/trainees/{id}", Data(new { first_names = "Again" })),
            await Srs.PutAsync($"/api/v2025.0/trainees/{id}", Data(new { first_names = "Again" })),
            await Srs.PatchAsync($"/api/v2026.0/trainees/{id}", Data(new { email = "again@example.com" })),
            await Srs.PostAsync($"/api/v2026.1/trainees/{id}/degrees", Data(TraineeRequests.UkDegree())),
            await Srs.PatchAsync($"/api/v2025.0/trainees/{id}/degrees/{degree}", Data(new { grade = "01" })),
            await Srs.DeleteAsync($"/api/v2026.1/trainees/{id}/degrees/{degree}"),
            await Srs.PostAsync($"/api/v2026.1/trainees/{id}/placements", Data(new { urn = "900020" })),
            await Srs.PostAsync($"/api/v2026.1/trainees/{id}/defer", Data(new { defer_date = "2026-09-14", defer_reason = "Illness" })),
            await Srs.PostAsync($"/api/v2026.1/trainees/{id}/withdraw",
                Data(new { withdrawal_date = "2026-09-10", trigger = "provider", future_interest = "no", reasons = new[] { "record_added_in_error" } })),
        };

        foreach (var refusal in refusals)
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refusal.StatusCode);
            Assert.Equal(
                """{"errors":[{"error":"StateTransitionError","message":"It’s not possible to perform this action while the trainee is in its current state"}]}""",
                await refusal.Content.ReadAsStringAsync());
        }

        Api.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await Api.Factory.Services.GetRequiredService<TrsWorker>().ProcessDueAsync(CancellationToken.None));
        var shown = await (await Srs.GetAsync($"/api/v2026.1/trainees/{id}")).BodyAsync();
        Assert.Equal(("submitted_for_trn", JsonValueKind.Null), (shown.Text("state"), shown.GetProperty("trn").ValueKind));
        Assert.Equal(activity, (await Support.ItemsAsync($"/support/trainees/{id}/activity")).Count);
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM trainees.trs_requests WHERE completed_at IS NULL"));
    }

    [Fact]
    public async Task Erasure_is_refused_for_an_unknown_trainee_a_second_time_without_a_reason_and_to_other_tokens()
    {
        var id = (await CreateTraineeAsync()).Text("trainee_id");
        var providersApi = Api.WithToken(await Api.CreateTokenAsync(Support, "providers_api"));

        var unknown = await EraseAsync("AAAAAAAAAAAAAAAAAAAAAAAA");
        var notAnId = await EraseAsync("not-a-trainee-id");
        var noReason = await EraseAsync(id, new { reason = "  " });
        var controlCharacters = await EraseAsync(id, new { reason = "Added\u0007 in error" });
        var tooLong = await EraseAsync(id, new { reason = new string('x', 501) });
        var bySrs = await EraseAsync(id, client: Srs);
        var byProvidersApi = await EraseAsync(id, client: providersApi);
        var anonymous = await EraseAsync(id, client: Api.Anonymous());
        Assert.Equal(JsonValueKind.String, (await (await Srs.GetAsync($"/api/v2026.1/trainees/{id}")).BodyAsync()).GetProperty("last_name").ValueKind);
        var first = await EraseAsync(id);
        var second = await EraseAsync(id, new { reason = "Once more" });

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (unknown.StatusCode, notAnId.StatusCode));
        Assert.Equal("""{"errors":[{"error":"NotFound","message":"Trainee not found"}]}""", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(
            [HttpStatusCode.UnprocessableEntity, HttpStatusCode.UnprocessableEntity, HttpStatusCode.UnprocessableEntity],
            new[] { noReason.StatusCode, controlCharacters.StatusCode, tooLong.StatusCode });
        Assert.Contains("reason can't be blank", await noReason.Content.ReadAsStringAsync());
        Assert.Contains("reason must not contain control characters", await controlCharacters.Content.ReadAsStringAsync());
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized],
            new[] { bySrs.StatusCode, byProvidersApi.StatusCode, anonymous.StatusCode });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("""{"errors":[{"error":"Conflict","message":"The trainee's personal data is already erased"}]}""", await second.Content.ReadAsStringAsync());
        var erasures = (await Support.ItemsAsync($"/support/trainees/{id}/activity")).Count(i => i.Text("headline") == "Trainee erased");
        Assert.Equal(1, erasures);
    }

    [Fact]
    public async Task The_upload_row_that_made_a_trainee_loses_its_personal_values_and_other_rows_keep_theirs()
    {
        var upload = await Srs.PostAsync("/api/v2026.1/trainee-uploads?file_name=trainees.csv",
            new StringContent(TraineeCsv.Make([TraineeCsv.Row(1), TraineeCsv.Row(2)]), Encoding.UTF8, "text/csv"));
        var uploadId = (await upload.BodyAsync()).GetProperty("data").Text("upload_id");
        var worker = Api.Factory.Services.GetRequiredService<UploadWorker>();
        await worker.ProcessPendingAsync(CancellationToken.None);
        await Srs.PostAsync($"/api/v2026.1/trainee-uploads/{uploadId}/submit", null);
        await worker.ProcessPendingAsync(CancellationToken.None);
        var rows = (await (await Srs.GetAsync($"/api/v2026.1/trainee-uploads/{uploadId}/rows")).BodyAsync()).GetProperty("data");

        Assert.Equal(HttpStatusCode.OK, (await EraseAsync(rows[0].Text("trainee_id"))).StatusCode);

        var report = await (await Srs.GetAsync($"/api/v2026.1/trainee-uploads/{uploadId}/report")).Content.ReadAsStringAsync();
        var lines = report.Split("\r\n");
        Assert.DoesNotContain("Trainee1", report);
        Assert.DoesNotContain("csv1@example.com", report);
        Assert.Contains("Trainee2", lines[2]);
        Assert.Contains("csv2@example.com", lines[2]);
        Assert.Contains("\"[erased]\"", lines[1]);
        Assert.Contains("\"'100403\"", lines[1]); // the course stays (a code column: the report keeps its leading apostrophe)
        Assert.Contains("\"'1991-02-03\"", lines[2]);
        Assert.DoesNotContain("1991-02-03", lines[1]);
    }

    [Fact]
    public async Task A_notification_still_in_the_outbox_at_the_erasure_is_delivered_without_its_values()
    {
        var id = (await CreateTraineeAsync()).Text("trainee_id");
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        // The change's notification is delivered later (a consumer failed, say): the outbox keeps it, the log has no item yet.
        await Srs.PatchAsync($"/api/v2026.1/trainees/{id}", Data(new { last_name = "Doe-Smith" }));
        var pending = await connection.ExecuteScalarAsync<Guid>(
            "UPDATE trainees.outbox SET dispatched_at = NULL WHERE occurred_at = (SELECT max(occurred_at) FROM trainees.outbox) RETURNING id");
        await connection.ExecuteAsync("DELETE FROM activity_log.activity_items WHERE event_id = @pending", new { pending });

        Assert.Equal(HttpStatusCode.OK, (await EraseAsync(id)).StatusCode);
        await Api.Factory.Services.GetRequiredService<OutboxDispatcher>().DispatchAllPendingAsync();

        var items = await Support.ItemsAsync($"/support/trainees/{id}/activity");
        Assert.Equal(["Trainee erased", "Trainee updated", "Trainee degree added", "Trainee added"], items.Select(i => i.Text("headline")));
        Assert.Equal("""[{"field":"last_name","old_value":"[erased]","new_value":"[erased]"}]""", items[1].GetProperty("changes").GetRawText());
        Assert.DoesNotContain("Doe", string.Join("", await connection.QueryAsync<string>("SELECT payload::text FROM trainees.outbox")));
    }
}
