using DbUp;
using DbUp.Engine.Output;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Register.BuildingBlocks.Database;

/// <summary>
/// Runs every module's migrations with DbUp, one journal per module, while holding a PostgreSQL advisory lock so that
/// instances starting together migrate one after the other. The lock is transaction-scoped
/// (<c>pg_advisory_xact_lock</c>), taken in a transaction that stays open on its own connection for the whole run and
/// ends with it: it cannot outlive the run (a crash or a lost connection ends the transaction), and it works through a
/// transaction-pooling PgBouncer, which keeps one server connection for a transaction but not for a session. The
/// scripts themselves run on DbUp's connections, one transaction per script.
/// </summary>
public sealed class DatabaseMigrator(IEnumerable<ModuleMigrations> modules, ILogger<DatabaseMigrator> logger)
{
    /// <summary>"REGISTER" in ASCII: the advisory lock every instance takes while it migrates.</summary>
    private const long MigrationLockKey = 0x5245474953544552;

    /// <returns>The names of the scripts this call ran (empty when the database was up to date).</returns>
    public async Task<IReadOnlyList<string>> MigrateAsync(string connectionString, CancellationToken ct = default)
    {
        await using var lockConnection = new NpgsqlConnection(connectionString);
        await lockConnection.OpenAsync(ct);
        await using var lockTransaction = await lockConnection.BeginTransactionAsync(ct);
        await using (var acquire = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({MigrationLockKey})", lockConnection, lockTransaction))
        {
            await acquire.ExecuteNonQueryAsync(ct);
        }

        var ran = new List<string>();
        foreach (var module in modules)
        {
            var upgrader = DeployChanges.To
                .PostgresqlDatabase(connectionString)
                .WithScriptsEmbeddedInAssembly(module.Assembly, name => name.StartsWith(module.ResourcePrefix, StringComparison.Ordinal))
                .JournalToPostgresqlTable("public", module.JournalTable)
                .WithTransactionPerScript()
                .LogTo(new DbUpLog(logger))
                .Build();

            var result = upgrader.PerformUpgrade();
            if (!result.Successful)
            {
                logger.LogCritical(
                    "Migration {Script} of module {Module} failed, so Register will not start: {Error}",
                    result.ErrorScript?.Name, module.Schema, result.Error?.Message);
                throw new MigrationFailedException(module.Schema, result.ErrorScript?.Name, result.Error);
            }

            ran.AddRange(result.Scripts.Select(s => s.Name));
        }

        // Ending the transaction lets the lock go; the next instance finds every script in the journals.
        await lockTransaction.CommitAsync(CancellationToken.None);
        logger.LogInformation("Database is up to date ({Count} migration scripts ran)", ran.Count);
        return ran;
    }

    private sealed class DbUpLog(ILogger logger) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) => logger.LogTrace("DbUp: {Message}", Format(format, args));

        public void LogDebug(string format, params object[] args) => logger.LogDebug("DbUp: {Message}", Format(format, args));

        public void LogInformation(string format, params object[] args) => logger.LogDebug("DbUp: {Message}", Format(format, args));

        public void LogWarning(string format, params object[] args) => logger.LogWarning("DbUp: {Message}", Format(format, args));

        public void LogError(string format, params object[] args) => logger.LogError("DbUp: {Message}", Format(format, args));

        public void LogError(Exception ex, string format, params object[] args) => logger.LogError(ex, "DbUp: {Message}", Format(format, args));

        private static string Format(string format, object[] args) =>
            args.Length == 0 ? format : string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args);
    }
}

public sealed class MigrationFailedException(string module, string? script, Exception? inner)
    : Exception($"Migration {script ?? "(unknown script)"} of module '{module}' failed: {inner?.Message}", inner);
