using System.Text.Json;
using Dapper;
using Mediator;
using Npgsql;
using Register.BuildingBlocks.Contracts;

namespace Register.ActivityLog.Features.RecordActivity;

/// <summary>
/// Records every change any module reports. The event id is the row's key, so a notification delivered
/// twice (a crash between a consumer and the outbox's bookkeeping) is recorded once. A change of a record whose personal
/// data was erased (delivered late, from an outbox retry) is redacted as the record's other items were.
/// </summary>
internal sealed class RecordChangedHandler(NpgsqlDataSource db) : INotificationHandler<IRecordChanged>
{
    public async ValueTask Handle(IRecordChanged notification, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO activity_log.activity_items
                (event_id, occurred_at, record_type, record_id, action, actor_type, actor_id, actor_name, changes, provider_ids, record_name)
            VALUES (@EventId, @OccurredAt, @RecordType, @RecordId, @Action, @ActorType, @ActorId, @ActorName, @Changes::jsonb, @ProviderIds, @RecordName)
            ON CONFLICT (event_id) DO NOTHING
            """,
            new
            {
                notification.EventId,
                notification.OccurredAt,
                notification.RecordType,
                notification.RecordId,
                notification.Action,
                ActorType = notification.Actor.Type,
                ActorId = notification.Actor.Id,
                ActorName = notification.Actor.Name,
                Changes = JsonSerializer.Serialize(notification.Changes.Select(c => new { field = c.Field, old_value = c.OldValue, new_value = c.NewValue })),
                ProviderIds = notification.ProviderIds.ToArray(),
                notification.RecordName,
            },
            cancellationToken: cancellationToken));
        await PersonalData.Erasures.RedactAsync(connection, notification.RecordId, notification.EventId, cancellationToken);
    }
}
