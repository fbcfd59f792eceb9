using System.Text.Json;
using Dapper;
using Npgsql;
using Register.BuildingBlocks.Contracts;

namespace Register.BuildingBlocks.Outbox;

/// <summary>
/// Writes integration events into a module's outbox table (<c>&lt;schema&gt;.outbox</c>) inside the
/// transaction of the change itself, so a change is never committed without its notifications.
/// <see cref="OutboxDispatcher"/> publishes them after commit.
/// </summary>
public static class Outbox
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Task EnqueueAsync(NpgsqlTransaction transaction, string schema, IIntegrationEvent integrationEvent, CancellationToken ct = default) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO {schema}.outbox (id, type, payload, occurred_at)
            VALUES (@Id, @Type, @Payload::jsonb, @OccurredAt)
            """,
            new
            {
                Id = integrationEvent.EventId,
                Type = integrationEvent.GetType().FullName,
                Payload = JsonSerializer.Serialize(integrationEvent, integrationEvent.GetType(), Json),
                integrationEvent.OccurredAt,
            },
            transaction,
            cancellationToken: ct));
}
