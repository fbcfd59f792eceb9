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
/// scripts themselves run on DbUp's connections, one transaction per script. A start with nothing to run (the usual
/// case) is found by one query of every journal on the lock's connection (<see cref="PendingModulesAsync"/>), and DbUp
/// runs only for the modules that have a script its journal lacks.
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
        foreach (var module in await PendingModulesAsync(lockConnection, lockTransaction, ct))
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

    /// <summary>
    /// The modules with a script their journal does not name (every module whose journal does not exist yet), in
    /// registration order: one round trip that reads every existing journal, instead of DbUp's connections and queries a
    /// module. DbUp journals an embedded script under its resource name.
    /// </summary>
    private async Task<List<ModuleMigrations>> PendingModulesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        var all = modules.ToList();
        var journals = all.Select(m => m.JournalTable).Distinct().ToArray();
        var existing = new HashSet<string>(StringComparer.Ordinal);
        await using (var find = new NpgsqlCommand(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ANY(@journals)", connection, transaction))
        {
            find.Parameters.AddWithValue("journals", journals);
            await using var reader = await find.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                existing.Add(reader.GetString(0));
            }
        }

        var journaled = new HashSet<(string Journal, string Script)>();
        if (existing.Count > 0)
        {
            // Journal names are the modules' own constants (schemaversions_<schema>), never input.
            var union = string.Join(" UNION ALL ", existing.Order(StringComparer.Ordinal).Select(j => $"SELECT '{j}', scriptname::text FROM public.{j}"));
            await using var read = new NpgsqlCommand(union, connection, transaction);
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                journaled.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        var pending = all.Where(m => !existing.Contains(m.JournalTable)
            || m.Assembly.GetManifestResourceNames().Any(r => r.StartsWith(m.ResourcePrefix, StringComparison.Ordinal) && !journaled.Contains((m.JournalTable, r)))).ToList();
        logger.LogDebug("Migrations: {Pending} of {Count} modules have scripts to run", pending.Count, all.Count);
        return pending;
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
