using Dapper;
using Npgsql;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Outbox;

namespace Register.ActivityLog.Features.RecordActivity;

/// <summary>
/// Records every change any module reports: all the <see cref="IRecordChanged"/> of an outbox batch in one statement, on
/// one connection. The event id is the row's key, so a notification delivered twice (a crash between a consumer and the
/// outbox's bookkeeping) is recorded once. A change of a record whose personal data was erased (delivered late, from an
/// outbox retry) is redacted as the record's other items were: the same round trip asks which of the batch's records
/// have an erasure.
/// </summary>
internal sealed class RecordChangedHandler(NpgsqlDataSource db) : IIntegrationEventBatchConsumer
{
    public async ValueTask ConsumeAsync(IReadOnlyList<IIntegrationEvent> events, CancellationToken ct)
    {
        var changes = events.OfType<IRecordChanged>().ToList();
        if (changes.Count == 0)
        {
            return;
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        var erased = (await connection.QueryAsync<Guid>(new CommandDefinition(
            """
            INSERT INTO activity_log.activity_items
                (event_id, occurred_at, record_type, record_id, action, actor_type, actor_id, actor_name, changes, provider_ids, record_name)
            SELECT i.event_id, i.occurred_at, i.record_type, i.record_id, i.action, i.actor_type, i.actor_id, i.actor_name, i.changes::jsonb,
                i.provider_ids::uuid[], i.record_name
            FROM unnest(@eventIds, @occurredAt, @recordTypes, @recordIds, @actions, @actorTypes, @actorIds, @actorNames, @changes, @providerIds, @recordNames)
                AS i(event_id, occurred_at, record_type, record_id, action, actor_type, actor_id, actor_name, changes, provider_ids, record_name)
            ON CONFLICT (event_id) DO NOTHING;
            SELECT record_id FROM activity_log.erasures WHERE record_id = ANY(@recordIds);
            """,
            new
            {
                eventIds = changes.Select(c => c.EventId).ToArray(),
                occurredAt = changes.Select(c => c.OccurredAt).ToArray(),
                recordTypes = changes.Select(c => c.RecordType).ToArray(),
                recordIds = changes.Select(c => c.RecordId).ToArray(),
                actions = changes.Select(c => c.Action).ToArray(),
                actorTypes = changes.Select(c => c.Actor.Type).ToArray(),
                actorIds = changes.Select(c => c.Actor.Id).ToArray(),
                actorNames = changes.Select(c => c.Actor.Name).ToArray(),
                changes = changes.Select(c => PersonalData.Erasures.Serialize(c.Changes)).ToArray(),
                // A uuid[] each: unnest cannot take an array of arrays of different lengths, so each goes as its text form.
                providerIds = changes.Select(c => "{" + string.Join(',', c.ProviderIds) + "}").ToArray(),
                recordNames = changes.Select(c => c.RecordName).ToArray(),
            },
            cancellationToken: ct))).ToHashSet();
        foreach (var change in changes.Where(c => erased.Contains(c.RecordId)))
        {
            await PersonalData.Erasures.RedactAsync(connection, change.RecordId, change.EventId, ct);
        }
    }
}
