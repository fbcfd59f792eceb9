using Npgsql;
using Register.BuildingBlocks.Outbox;

namespace Register.BuildingBlocks.Database;

/// <summary>
/// Runs a change in one transaction of a module's schema, then publishes the notifications the change
/// put in the module's outbox. Every write slice goes through here:
/// <code>
/// await transactions.RunAsync(Schema, async tx => { /* SQL */; await Outbox.EnqueueAsync(tx, Schema, evt, ct); }, ct);
/// </code>
/// </summary>
public sealed class TransactionRunner(NpgsqlDataSource dataSource, OutboxDispatcher outbox)
{
    public async Task<T> RunAsync<T>(string schema, Func<NpgsqlTransaction, Task<T>> change, CancellationToken ct = default)
    {
        T result;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            result = await change(transaction);
            await transaction.CommitAsync(ct);
        }

        await outbox.DispatchAfterCommitAsync(schema, CancellationToken.None);
        return result;
    }
}
