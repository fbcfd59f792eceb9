using Dapper;
using Mediator;
using Npgsql;
using Register.Providers.Contracts;

namespace Register.ActivityLog.Features.RecordActivity;

/// <summary>
/// Keeps the activity log's own copy of provider names (titles of items in the global timeline), from the
/// Providers module's notifications. A notification older than what is stored changes nothing, so replays
/// and out-of-order deliveries are harmless.
/// </summary>
internal sealed class ProviderNamesHandler(NpgsqlDataSource db) : INotificationHandler<ProviderChanged>
{
    public async ValueTask Handle(ProviderChanged notification, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO activity_log.provider_names (id, operating_name, deleted, as_of) VALUES (@Id, @OperatingName, @Deleted, @OccurredAt)
            ON CONFLICT (id) DO UPDATE SET operating_name = excluded.operating_name, deleted = excluded.deleted, as_of = excluded.as_of
            WHERE activity_log.provider_names.as_of <= excluded.as_of
            """,
            new { notification.Provider.Id, notification.Provider.OperatingName, Deleted = notification.Provider.DeletedAt is not null, notification.OccurredAt },
            cancellationToken: cancellationToken));
    }
}
