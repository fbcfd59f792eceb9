using System.Data;
using Npgsql;

namespace Register.BuildingBlocks.Database;

/// <summary>
/// For bulk work that goes row by row (the seed imports): the rows share one transaction, up to <c>rowsPerCommit</c> of
/// them, each in a savepoint of its own, so a row that fails (a rule, a constraint) is rolled back alone and the others
/// still commit, as they did with a transaction a row, for one commit (and one pooled connection) a batch instead of one a
/// row. Nothing is published here: the caller publishes the outbox once at the end, as with
/// <see cref="TransactionRunner.RunWithoutDispatchAsync{T}"/>. A failure that is not the row's own (the connection lost)
/// ends the batch's transaction: the rows since the last commit are lost with it, and re-running the import makes them.
/// </summary>
public sealed class RowBatchTransaction(NpgsqlDataSource dataSource, int rowsPerCommit = 250) : IAsyncDisposable
{
    private const string RowSavepoint = "batch_row";

    private NpgsqlConnection? _connection;
    private NpgsqlTransaction? _transaction;
    private int _rows;

    /// <summary>Runs one row in its savepoint; its exception, if any, is thrown after the row alone is rolled back.</summary>
    public async Task<T> RunRowAsync<T>(Func<NpgsqlTransaction, Task<T>> row, CancellationToken ct)
    {
        if (_transaction is null)
        {
            _connection = await dataSource.OpenConnectionAsync(ct);
            _transaction = await _connection.BeginTransactionAsync(ct);
        }

        var tx = _transaction;
        await tx.SaveAsync(RowSavepoint, ct);
        T result;
        try
        {
            result = await row(tx);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && (ex is PostgresException || ex is not NpgsqlException)
            && _connection?.State == ConnectionState.Open)
        {
            await tx.RollbackAsync(RowSavepoint, ct);
            throw;
        }

        await tx.ReleaseAsync(RowSavepoint, ct);
        if (++_rows >= rowsPerCommit)
        {
            await CommitAsync(ct);
        }

        return result;
    }

    /// <summary>Commits the rows run since the last commit (nothing when there are none).</summary>
    public async Task CommitAsync(CancellationToken ct)
    {
        if (_transaction is not null)
        {
            await _transaction.CommitAsync(ct);
        }

        await DisposeAsync();
    }

    /// <summary>Rolls back what was not committed, and gives the connection back.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync();
            _transaction = null;
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }

        _rows = 0;
    }
}
