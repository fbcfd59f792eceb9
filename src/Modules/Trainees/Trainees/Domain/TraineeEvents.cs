using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Outbox;
using Register.Trainees.Contracts;
using Register.Trainees.Versions;

namespace Register.Trainees.Domain;

/// <summary>
/// The notifications of trainee changes, written into the module's outbox in the change's transaction: one for the
/// trainee, its degree or its placement, with the fields that changed as the API names them.
/// </summary>
internal static class TraineeEvents
{
    public const string Trainee = TraineeRecords.Trainee;
    public const string Degree = TraineeRecords.Degree;
    public const string Placement = TraineeRecords.Placement;

    // What happened to a trainee beyond a change of its fields: its lifecycle's steps.
    public const string TrnReceived = "trn_received";
    public const string Withdrawn = "withdrawn";
    public const string Deferred = "deferred";
    public const string RecommendedForAward = "recommended_for_award";
    public const string Awarded = "awarded";

    /// <summary>What every change moves, or what has its own notifications: not worth an activity line.</summary>
    private static readonly HashSet<string> Unreported = ["created_at", "updated_at", "degrees", "placements"];

    public static Task EnqueueAsync(
        NpgsqlTransaction tx, string recordType, Trainee trainee, string action, Actor actor, IReadOnlyList<FieldChange> changes, DateTimeOffset now, CancellationToken ct) =>
        Outbox.EnqueueAsync(tx, TraineesModule.Schema, Changed(recordType, trainee, action, actor, changes, now), ct);

    public static TraineeChanged Changed(string recordType, Trainee trainee, string action, Actor actor, IReadOnlyList<FieldChange> changes, DateTimeOffset now) =>
        new(EventIds.Next(now), now, recordType, trainee.Id, action, actor, changes, trainee.ProviderId);

    /// <summary>A trainee's changed fields, as the latest version names them (its degrees and placements have their own notifications).</summary>
    public static IReadOnlyList<FieldChange> TraineeChanges(Trainee? before, Trainee? after) =>
        Between(before is null ? null : TraineeJson.Trainee(before, [], [], null, TraineeApiVersions.Latest),
            after is null ? null : TraineeJson.Trainee(after, [], [], null, TraineeApiVersions.Latest));

    /// <summary>The fields whose values differ between two API views of a record (null for one just created or deleted).</summary>
    public static IReadOnlyList<FieldChange> Between(JsonObject? before, JsonObject? after)
    {
        var fields = (before?.Select(p => p.Key) ?? []).Concat(after?.Select(p => p.Key) ?? []).Distinct().Where(f => !Unreported.Contains(f));
        return fields
            .Select(f => new FieldChange(f, Text(before?[f]), Text(after?[f])))
            .Where(c => c.OldValue != c.NewValue)
            .ToList();
    }

    private static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => node.ToJsonString(),
    };
}
