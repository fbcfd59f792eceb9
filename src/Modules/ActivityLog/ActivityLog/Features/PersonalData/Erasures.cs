using System.Text.Json;
using Dapper;
using Mediator;
using Npgsql;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Http;
using Register.Trainees.Contracts;

namespace Register.ActivityLog.Features.PersonalData;

/// <summary>
/// Redacts the activity log's copies of erased personal values (ADR 16): in every item of an erased record (of the record
/// types its erasure names), the values of the erased fields become <see cref="ErasedFields.Marker"/>; the field names, the
/// action, who and when stay.
/// </summary>
internal static class Erasures
{
    /// <summary>
    /// Redacts the items of <paramref name="recordId"/> (or only the item <paramref name="eventId"/>) if the record was erased.
    /// Both the erasure and every new item call this after writing, each in its own statement, so whichever commits second
    /// sees the other: an item delivered after the erasure (a retry from the outbox) is redacted too. Redacting twice changes nothing.
    /// </summary>
    public static async Task RedactAsync(NpgsqlConnection connection, Guid recordId, Guid? eventId, CancellationToken ct)
    {
        var erasure = await connection.QuerySingleOrDefaultAsync<ErasureRow>(new CommandDefinition(
            "SELECT record_types, fields::text AS fields FROM activity_log.erasures WHERE record_id = @recordId", new { recordId }, cancellationToken: ct));
        if (erasure is null)
        {
            return;
        }

        var fields = JsonSerializer.Deserialize<List<ErasedFields>>(erasure.Fields, RegisterJson.Options) ?? [];
        var items = await connection.QueryAsync<ItemRow>(new CommandDefinition(
            $"""
            SELECT event_id, record_type, changes::text AS changes FROM activity_log.activity_items
            WHERE record_id = @recordId AND record_type = ANY(@types){(eventId is null ? "" : " AND event_id = @eventId")}
            """,
            new { recordId, types = erasure.RecordTypes, eventId }, cancellationToken: ct));
        foreach (var item in items)
        {
            var changes = (JsonSerializer.Deserialize<List<StoredChange>>(item.Changes, RegisterJson.Options) ?? [])
                .Select(c => new FieldChange(c.Field, c.OldValue, c.NewValue)).ToList();
            var redacted = ErasedFields.Redact(fields, item.RecordType, changes);
            if (!redacted.SequenceEqual(changes))
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE activity_log.activity_items SET changes = @changes::jsonb WHERE event_id = @EventId",
                    new { item.EventId, changes = Serialize(redacted) }, cancellationToken: ct));
            }
        }
    }

    /// <summary>An item's changes as the activity log stores them: <c>[{"field":…,"old_value":…,"new_value":…}]</c>.</summary>
    public static string Serialize(IEnumerable<FieldChange> changes) =>
        JsonSerializer.Serialize(changes.Select(c => new { field = c.Field, old_value = c.OldValue, new_value = c.NewValue }));

    private sealed record ErasureRow
    {
        public string[] RecordTypes { get; init; } = [];

        public string Fields { get; init; } = "[]";
    }

    private sealed record ItemRow
    {
        public Guid EventId { get; init; }

        public string RecordType { get; init; } = "";

        public string Changes { get; init; } = "[]";
    }

    private sealed record StoredChange(string Field, string? OldValue, string? NewValue);
}

/// <summary>
/// The Trainees module erased a trainee's personal data: the activity log remembers the erasure (by the trainee's id, once
/// however often it is delivered) and redacts the trainee's items. The erasure's own item ("Trainee erased") is recorded by
/// <see cref="RecordActivity.RecordChangedHandler"/>, as every change is.
/// </summary>
internal sealed class TraineeErasedHandler(NpgsqlDataSource db) : INotificationHandler<TraineeErased>
{
    public async ValueTask Handle(TraineeErased notification, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO activity_log.erasures (record_id, event_id, erased_at, record_types, fields)
            VALUES (@RecordId, @EventId, @OccurredAt, @types, @fields::jsonb)
            ON CONFLICT (record_id) DO NOTHING
            """,
            new
            {
                notification.RecordId,
                notification.EventId,
                notification.OccurredAt,
                types = notification.Fields.Select(f => f.RecordType).Distinct().ToArray(),
                fields = JsonSerializer.Serialize(notification.Fields, RegisterJson.Options),
            },
            cancellationToken: cancellationToken));
        await Erasures.RedactAsync(connection, notification.RecordId, null, cancellationToken);
    }
}
