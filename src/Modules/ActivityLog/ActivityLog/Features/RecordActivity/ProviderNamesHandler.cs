using Dapper;
using Npgsql;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Outbox;
using Register.Providers.Contracts;

namespace Register.ActivityLog.Features.RecordActivity;

/// <summary>
/// Keeps the activity log's own copy of provider names (titles of items in the global timeline), from the
/// Providers module's notifications: an outbox batch's in one statement, the newest of each provider. A copy only moves forward, by (occurred at, event id), so replays and
/// out-of-order deliveries are harmless.
/// </summary>
internal sealed class ProviderNamesHandler(NpgsqlDataSource db) : IIntegrationEventBatchConsumer
{
    public async ValueTask ConsumeAsync(IReadOnlyList<IIntegrationEvent> events, CancellationToken ct)
    {
        var changes = ProviderChanges.NewestOfEach(events);
        if (changes.Count == 0)
        {
            return;
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO activity_log.provider_names AS copy (id, operating_name, deleted, as_of, last_event_id)
            SELECT * FROM unnest(@ids, @names, @deleted, @asOf, @eventIds)
            ON CONFLICT (id) DO UPDATE SET operating_name = excluded.operating_name, deleted = excluded.deleted, as_of = excluded.as_of, last_event_id = excluded.last_event_id
            WHERE (copy.as_of, copy.last_event_id) < (excluded.as_of, excluded.last_event_id)
            """,
            new
            {
                ids = changes.Select(c => c.Provider.Id).ToArray(),
                names = changes.Select(c => c.Provider.OperatingName).ToArray(),
                deleted = changes.Select(c => c.Provider.DeletedAt is not null).ToArray(),
                asOf = changes.Select(c => c.OccurredAt).ToArray(),
                eventIds = changes.Select(c => c.EventId).ToArray(),
            },
            cancellationToken: ct));
    }
}
