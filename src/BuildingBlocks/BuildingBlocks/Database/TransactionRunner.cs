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
    public Task<T> RunAsync<T>(string schema, Func<NpgsqlTransaction, Task<T>> change, CancellationToken ct = default) =>
        RunAsync(schema, change, dispatchAfterCommit: true, ct);

    /// <summary>For bulk work (the seed import): commits without publishing; the caller publishes the outbox once at the end.</summary>
    public Task<T> RunWithoutDispatchAsync<T>(string schema, Func<NpgsqlTransaction, Task<T>> change, CancellationToken ct = default) =>
        RunAsync(schema, change, dispatchAfterCommit: false, ct);

    private async Task<T> RunAsync<T>(string schema, Func<NpgsqlTransaction, Task<T>> change, bool dispatchAfterCommit, CancellationToken ct)
    {
        T result;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            result = await change(transaction);
            await transaction.CommitAsync(ct);
        }

        if (dispatchAfterCommit)
        {
            await outbox.DispatchAfterCommitAsync(schema, CancellationToken.None);
        }

        return result;
    }
}
