using Dapper;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Register.BuildingBlocks.Contracts;
using Register.TestKit;
using Register.Trainees.Contracts;

namespace Register.ActivityLog.Tests;

/// <summary>
/// The activity log's part of ADR 16: an erasure redacts the record's items (and any delivered later) once however often it
/// arrives.
/// </summary>
[Collection(ActivityLogCollection.Name)]
public sealed class PersonalDataTests(ActivityLogFixture fixture) : ApiTest<ActivityLogFixture>(fixture)
{
    private static readonly Actor Srs = Actor.ApiClient(Guid.NewGuid(), "Acme SRS");

    private static readonly IReadOnlyList<ErasedFields> Fields =
        [new("trainee", ["first_names", "date_of_birth"]), new("degree", ["subject"]), new("placement", [])];

    /// <summary>Publishes a notification to every consumer, as the outbox dispatcher does.</summary>
    private async Task PublishAsync(IRecordChanged notification)
    {
        await using var scope = Api.Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IPublisher>().Publish(notification);
    }

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
}
