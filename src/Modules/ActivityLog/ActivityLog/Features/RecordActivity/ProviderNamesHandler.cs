using Dapper;
using Mediator;
using Npgsql;
using Register.Providers.Contracts;

namespace Register.ActivityLog.Features.RecordActivity;

/// <summary>
/// Keeps the activity log's own copy of provider names (titles of items in the global timeline), from the
/// Providers module's notifications. A copy only moves forward, by (occurred at, event id), so replays and
/// out-of-order deliveries are harmless.
/// </summary>
internal sealed class ProviderNamesHandler(NpgsqlDataSource db) : INotificationHandler<ProviderChanged>
{
    public async ValueTask Handle(ProviderChanged notification, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO activity_log.provider_names (id, operating_name, deleted, as_of, last_event_id) VALUES (@Id, @OperatingName, @Deleted, @OccurredAt, @EventId)
            ON CONFLICT (id) DO UPDATE SET operating_name = excluded.operating_name, deleted = excluded.deleted, as_of = excluded.as_of, last_event_id = excluded.last_event_id
            WHERE (activity_log.provider_names.as_of, activity_log.provider_names.last_event_id) < (excluded.as_of, excluded.last_event_id)
            """,
            new { notification.Provider.Id, notification.Provider.OperatingName, Deleted = notification.Provider.DeletedAt is not null, notification.OccurredAt, notification.EventId },
            cancellationToken: cancellationToken));
    }
}
