using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Register.ActivityLog.Features.PersonalData;
using Register.BuildingBlocks.Contracts;
using Register.TestKit;
using Register.Trainees.Contracts;

namespace Register.ActivityLog.Tests;

/// <summary>
/// The activity log's part of ADR 16: an erasure redacts the record's items (and any delivered later) once however often it
/// arrives; erased records' items age out after the retention setting; support's reads of trainees' personal data are
/// recorded and shown to system admins only.
/// </summary>
[Collection(ActivityLogCollection.Name)]
public sealed class PersonalDataTests(ActivityLogFixture fixture) : ApiTest<ActivityLogFixture>(fixture)
{
    private static readonly Actor Srs = Actor.ApiClient(Guid.NewGuid(), "Acme SRS");

    private static readonly IReadOnlyList<ErasedFields> Fields =
        [new("trainee", ["first_names", "date_of_birth"]), new("degree", ["subject"]), new("placement", [])];

    /// <summary>Publishes a notification to every consumer, as the outbox dispatcher does.</summary>
    private Task PublishAsync(IRecordChanged notification) => Api.DeliverAsync(notification);

    private static TraineeChanged Change(Guid trainee, string recordType, string action, DateTimeOffset at, params FieldChange[] changes) =>
        new(EventIds.Next(at), at, recordType, trainee, action, Srs, changes, Guid.NewGuid());

    private static TraineeErased Erasure(Guid trainee, DateTimeOffset at) =>
        new(EventIds.Next(at), at, trainee, Actor.ApiClient(Guid.NewGuid(), "Support desk"), "Added in error", Guid.NewGuid(), Fields);

    private async Task<List<(string RecordType, string Action, string Changes)>> StoredAsync(Guid record)
    {
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        return (await connection.QueryAsync<(string, string, string)>(
            "SELECT record_type, action, changes::text FROM activity_log.activity_items WHERE record_id = @record ORDER BY occurred_at", new { record })).AsList();
    }

    [Fact]
    public async Task An_erasure_redacts_the_records_items_once_however_often_it_comes_and_a_change_delivered_after_it_too()
    {
        var trainee = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        await PublishAsync(Change(trainee, "trainee", "created", now.AddMinutes(-5),
            new FieldChange("first_names", null, "John"), new FieldChange("date_of_birth", null, "1990-01-01"), new FieldChange("middle_names", null, null), new FieldChange("training_route", null, "12")));
        await PublishAsync(Change(trainee, "degree", "created", now.AddMinutes(-4), new FieldChange("subject", null, "100425"), new FieldChange("degree_id", null, "abc")));
        var erasure = Erasure(trainee, now.AddMinutes(-2));

        await PublishAsync(erasure);
        await PublishAsync(erasure);
        await PublishAsync(Change(trainee, "trainee", "updated", now.AddMinutes(-3), new FieldChange("first_names", "John", "Jonathan"))); // an outbox retry, late

        var items = await StoredAsync(trainee);
        Assert.Equal(
        [
            ("trainee", "created", """[{"field": "first_names", "new_value": "[erased]", "old_value": null}, {"field": "date_of_birth", "new_value": "[erased]", "old_value": null}, {"field": "middle_names", "new_value": null, "old_value": null}, {"field": "training_route", "new_value": "12", "old_value": null}]"""),
            ("degree", "created", """[{"field": "subject", "new_value": "[erased]", "old_value": null}, {"field": "degree_id", "new_value": "abc", "old_value": null}]"""),
            ("trainee", "updated", """[{"field": "first_names", "new_value": "[erased]", "old_value": "[erased]"}]"""),
            ("trainee", "erased", """[{"field": "erasure_reason", "new_value": "Added in error", "old_value": null}]"""),
        ], items);
        var support = await Api.SupportAsync();
        var shown = await support.ItemsAsync("/support/activity?record_type=trainee");
        Assert.Equal(["Trainee erased", "Trainee updated", "Trainee added"], shown.Select(i => i.Text("headline")));
        Assert.Equal("By Support desk", shown[0].Text("byline")[..15]);
    }

    [Fact]
    public async Task The_retention_job_deletes_the_items_of_erased_records_older_than_the_setting_and_nothing_else()
    {
        var now = DateTimeOffset.UtcNow;
        var erased = Guid.NewGuid();
        var kept = Guid.NewGuid();
        await PublishAsync(Change(erased, "trainee", "created", now.AddDays(-800), new FieldChange("first_names", null, "John")));
        await PublishAsync(Change(erased, "placement", "created", now.AddDays(-750), new FieldChange("urn", null, "900020")));
        await PublishAsync(Change(erased, "trainee", "updated", now.AddDays(-10), new FieldChange("first_names", "John", "Jo")));
        await PublishAsync(Change(kept, "trainee", "created", now.AddDays(-800), new FieldChange("first_names", null, "Ann")));
        await Api.DeliverAsync(new OtherModuleChange(EventIds.Next(now.AddDays(-900)), now.AddDays(-900), "provider", erased, "created", Srs, [], []));
        await PublishAsync(Erasure(erased, now.AddDays(-5)));

        var deleted = await Api.Factory.Services.GetRequiredService<ErasedActivityRetentionJob>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(2, deleted); // the default keeps 730 days: the trainee's and its placement's items of 800 and 750 days ago go
        Assert.Equal([("provider", "created"), ("trainee", "updated"), ("trainee", "erased")], (await StoredAsync(erased)).Select(i => (i.RecordType, i.Action)));
        Assert.Equal([("trainee", "created")], (await StoredAsync(kept)).Select(i => (i.RecordType, i.Action)));
        Assert.Equal(0, await Api.Factory.Services.GetRequiredService<ErasedActivityRetentionJob>().RunOnceAsync(CancellationToken.None));

        await using var week = new RegisterFactory(Api.ConnectionString, new Dictionary<string, string?> { ["PersonalData:ErasedActivityRetentionDays"] = "7" });
        await week.Services.GetRequiredService<ErasedActivityRetentionJob>().RunOnceAsync(CancellationToken.None); // it also runs at startup

        Assert.Equal([("provider", "created"), ("trainee", "erased")], (await StoredAsync(erased)).Select(i => (i.RecordType, i.Action)));
        Assert.Equal([("trainee", "created")], (await StoredAsync(kept)).Select(i => (i.RecordType, i.Action)));

        foreach (var bad in new[] { "0", "-1", "36501" })
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["PersonalData:ErasedActivityRetentionDays"] = bad }).Build();
            await using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddActivityLogModule(configuration).BuildServiceProvider();
            var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<PersonalDataOptions>>().Value);
            Assert.Contains("PersonalData:ErasedActivityRetentionDays must be a whole number of days from 1 to 36500", refused.Message);
        }
    }

    [Fact]
    public async Task Supports_reads_of_trainees_are_recorded_and_listed_to_system_admins_only()
    {
        var setup = await Api.SupportAsync("Set-up desk");
        var provider = (await setup.CreateAsync(ProviderRequests.Hei("1PD", "University of Reads"))).Id();
        var srs = Api.WithToken(await Api.CreateTokenAsync(setup, "trainees_api", provider, "Acme SRS"));
        var created = await srs.PostAsJsonAsync("/api/v2026.1/trainees", new { data = TraineeRequests.Valid(TraineeRequests.CurrentCycle) });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var traineeId = (await created.BodyAsync()).GetProperty("data").Text("trainee_id");
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        var recordId = await connection.ExecuteScalarAsync<Guid>("SELECT id FROM trainees.trainees WHERE slug = @traineeId", new { traineeId });
        await srs.GetAsync($"/api/v2026.1/trainees/{traineeId}"); // the provider's own read: not support's
        await setup.GetAsync("/support/activity?record_type=provider"); // no trainee in it
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM activity_log.personal_data_reads"));

        var desk = await Api.SupportAsync("Reading desk");
        await desk.ItemsAsync($"/support/trainees/{traineeId}/activity");
        await desk.ItemsAsync("/support/activity");
        await desk.ItemsAsync($"/support/providers/{provider}/activity?page=1");
        var admin = await WebSession.SignInAsync(Api.Factory, firstName: "Ada", systemAdmin: true);
        var colleague = await WebSession.SignInAsync(Api.Factory, firstName: "Colleague");
        await colleague.GetAsync("/activity");
        await admin.GetAsync($"/providers/{provider}/activity");

        var reads = (await connection.QueryAsync<(string ActorType, string ActorName, Guid RecordId, string Path)>(
            "SELECT actor_type, actor_name, record_id, path FROM activity_log.personal_data_reads ORDER BY read_at, id")).ToList();
        Assert.Equal(
        [
            ("api_client", "Reading desk", recordId, $"/support/trainees/{traineeId}/activity"),
            ("api_client", "Reading desk", recordId, "/support/activity"),
            ("api_client", "Reading desk", recordId, $"/support/providers/{provider}/activity?page=1"),
            ("user", "Colleague Tester", recordId, "/activity"),
            ("user", "Ada Tester", recordId, $"/providers/{provider}/activity"),
        ], reads);

        var page = await admin.GetAsync("/personal-data-reads");
        Assert.Equal("Personal data reads (5)", page.Heading());
        var rows = page.QuerySelectorAll("tbody tr").Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList()).ToList();
        Assert.Equal(5, rows.Count);
        Assert.Equal(["Ada Tester Support user", traineeId, $"/providers/{provider}/activity"], rows[0].Skip(1).Select(Squash));
        Assert.Equal(["Reading desk Support API client", traineeId, $"/support/trainees/{traineeId}/activity"], rows[4].Skip(1).Select(Squash));
        Assert.Contains(page.QuerySelectorAll(".govuk-service-navigation__link"), a => a.TextContent.Trim() == "Personal data reads");

        await colleague.GetAsync("/personal-data-reads", HttpStatusCode.Forbidden);
        Assert.DoesNotContain((await colleague.GetAsync("/providers")).QuerySelectorAll(".govuk-service-navigation__link"), a => a.TextContent.Trim() == "Personal data reads");
        await (await WebSession.SignInAsync(Api.Factory, "api_user")).GetAsync("/personal-data-reads", HttpStatusCode.Forbidden);

        // Erased: the list says so; 25 a page, newest first.
        Assert.Equal(HttpStatusCode.OK, (await desk.PostAsJsonAsync($"/support/trainees/{traineeId}/erase", new { reason = "Added in error" })).StatusCode);
        for (var i = 0; i < 21; i++)
        {
            await desk.ItemsAsync($"/support/trainees/{recordId}/activity?n={i}");
        }

        var first = await admin.GetAsync("/personal-data-reads");
        var second = await admin.GetAsync("/personal-data-reads?page=2");
        Assert.Equal("Personal data reads (26)", first.Heading());
        Assert.Equal(25, first.QuerySelectorAll("tbody tr").Length);
        Assert.Equal($"/support/trainees/{recordId}/activity?n=20", first.QuerySelectorAll("tbody tr")[0].QuerySelectorAll("td")[3].TextContent.Trim());
        Assert.Equal($"{traineeId} Erased", Squash(first.QuerySelectorAll("tbody tr")[0].QuerySelectorAll("td")[2].TextContent));
        Assert.Single(second.QuerySelectorAll("tbody tr"));
        await admin.GetAsync("/personal-data-reads?page=0", HttpStatusCode.NotFound);
    }

    private static string Squash(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ").Trim();
}
