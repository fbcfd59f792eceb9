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
        EnqueueManyAsync(transaction, schema, [integrationEvent], ct);

    /// <summary>Several events in one statement (a bulk change: one row of a CSV upload makes a trainee, its degree and placements).</summary>
    public static Task EnqueueManyAsync(NpgsqlTransaction transaction, string schema, IReadOnlyCollection<IIntegrationEvent> events, CancellationToken ct = default) =>
        events.Count == 0
            ? Task.CompletedTask
            : transaction.Connection!.ExecuteAsync(new CommandDefinition(
                $"""
                INSERT INTO {schema}.outbox (id, type, payload, occurred_at)
                SELECT e.id, e.type, e.payload::jsonb, e.occurred_at FROM unnest(@ids, @types, @payloads, @times) AS e(id, type, payload, occurred_at)
                """,
                new
                {
                    ids = events.Select(e => e.EventId).ToArray(),
                    types = events.Select(e => e.GetType().FullName).ToArray(),
                    payloads = events.Select(e => JsonSerializer.Serialize(e, e.GetType(), Json)).ToArray(),
                    times = events.Select(e => e.OccurredAt).ToArray(),
                },
                transaction,
                cancellationToken: ct));
}
