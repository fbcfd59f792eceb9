using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;
using Register.BuildingBlocks.Contracts;

namespace Register.BuildingBlocks.Database;

/// <summary>What a backup holds, written beside it as <c>FILE.manifest.json</c>: enough to check a restore.</summary>
public sealed record BackupManifest(DateTimeOffset CreatedAt, string Database, long SizeBytes, string Sha256, IReadOnlyDictionary<string, long> RowCounts);

/// <summary>
/// Consistent backups of the whole database (every module schema, the migration journals and the outboxes) with
/// pg_dump's custom format, from one serializable snapshot that the manifest's row counts share, and restores with
/// pg_restore into an empty database, checked against the manifest.
/// </summary>
public static class DatabaseBackup
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = Contracts.SnakeCase.Instance };

    /// <param name="progress">Told of each table counted and dumped (the command line's progress bar), if given.</param>
    public static async Task<BackupManifest> CreateAsync(string connectionString, string file, IProgress<WorkProgress>? progress = null, CancellationToken ct = default)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        // The row counts and the dump see one snapshot: a serializable, read-only, deferrable transaction (what pg_dump's
        // --serializable-deferrable would take) counts the rows, exports its snapshot, and stays open while pg_dump uses it,
        // so writes made meanwhile (the service keeps running) are in neither.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct);
        await using var snapshot = await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, ct);
        await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY, DEFERRABLE", connection, snapshot))
        {
            await readOnly.ExecuteNonQueryAsync(ct);
        }

        string snapshotId;
        await using (var export = new NpgsqlCommand("SELECT pg_export_snapshot()", connection, snapshot))
        {
            snapshotId = (string)(await export.ExecuteScalarAsync(ct))!;
        }

        var counts = await RowCountsAsync(connection, ct, progress);
        var dumped = 0;
        await RunAsync("pg_dump", target,
            line => ReportTable(line, "dumping contents of table", "dumping", ref dumped, counts.Count, progress),
            ct,
            [.. Verbose(progress), "--format=custom", "--no-owner", $"--snapshot={snapshotId}", "--file", Path.GetFullPath(file), target.Database!]);
        await snapshot.CommitAsync(ct);
        progress?.Report(new WorkProgress("checksum", 0, null, file));
        var manifest = new BackupManifest(DateTimeOffset.UtcNow, target.Database!, new FileInfo(file).Length, await HashAsync(file, ct), counts);
        await File.WriteAllTextAsync(ManifestPath(file), JsonSerializer.Serialize(manifest, Json), ct);
        return manifest;
    }

    /// <summary>
    /// Restores <paramref name="file"/> into the database of <paramref name="connectionString"/>, which must be empty
    /// (it is created if missing), after checking the file's checksum; then checks every table's row count.
    /// </summary>
    /// <param name="progress">Told of each table restored and counted (the command line's progress bar), if given.</param>
    public static async Task<BackupManifest> RestoreAsync(string file, string connectionString, IProgress<WorkProgress>? progress = null, CancellationToken ct = default)
    {
        var manifest = JsonSerializer.Deserialize<BackupManifest>(await File.ReadAllTextAsync(ManifestPath(file), ct), Json)
            ?? throw new InvalidOperationException($"{ManifestPath(file)} is empty.");
        progress?.Report(new WorkProgress("checksum", 0, null, file));
        if (await HashAsync(file, ct) != manifest.Sha256)
        {
            throw new InvalidOperationException($"{file} does not match its manifest's checksum: the backup is damaged.");
        }

        var target = new NpgsqlConnectionStringBuilder(connectionString);
        await EnsureEmptyDatabaseAsync(target, ct);
        var restored = 0;
        await RunAsync("pg_restore", target,
            line => ReportTable(line, "processing data for table", "restoring", ref restored, manifest.RowCounts.Count, progress),
            ct,
            [.. Verbose(progress), "--no-owner", "--exit-on-error", "--dbname", target.Database!, Path.GetFullPath(file)]);

        await using var check = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await check.OpenAsync(ct);
        var counts = await RowCountsAsync(check, ct, progress);
        var differences = manifest.RowCounts.Where(c => counts.GetValueOrDefault(c.Key, -1) != c.Value)
            .Select(c => $"{c.Key}: {counts.GetValueOrDefault(c.Key, -1)} rows, the backup had {c.Value}").ToList();
        if (differences.Count > 0)
        {
            throw new InvalidOperationException($"The restore does not match the backup: {string.Join("; ", differences)}");
        }

        return manifest;
    }

    public static string ManifestPath(string file) => file + ".manifest.json";

    private static async Task EnsureEmptyDatabaseAsync(NpgsqlConnectionStringBuilder target, CancellationToken ct)
    {
        var admin = new NpgsqlConnectionStringBuilder(target.ConnectionString) { Database = "postgres", Pooling = false };
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync(ct);
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
            exists.Parameters.AddWithValue(target.Database!);
            if (await exists.ExecuteScalarAsync(ct) is null)
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{target.Database!.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
                await create.ExecuteNonQueryAsync(ct);
                return;
            }
        }

        await using var check = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(target.ConnectionString) { Pooling = false }.ConnectionString);
        await check.OpenAsync(ct);
        await using var tables = new NpgsqlCommand(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')", check);
        if ((long)(await tables.ExecuteScalarAsync(ct))! > 0)
        {
            throw new InvalidOperationException($"Database '{target.Database}' is not empty: restore into an empty database or a new cluster.");
        }
    }

    /// <summary>pg_dump and pg_restore say which table they are at only when verbose: asked for when progress is wanted.</summary>
    private static string[] Verbose(IProgress<WorkProgress>? progress) => progress is null ? [] : ["--verbose"];

    /// <summary>A verbose pg_dump or pg_restore line about a table's data, as progress.</summary>
    private static void ReportTable(string line, string marker, string stage, ref int done, int total, IProgress<WorkProgress>? progress)
    {
        var at = line.IndexOf(marker, StringComparison.Ordinal);
        if (at >= 0 && progress is not null)
        {
            done++;
            progress.Report(new WorkProgress(stage, Math.Min(done, total), total, line[(at + marker.Length)..].Trim().Trim('"')));
        }
    }

    /// <summary>Every table's row count, on <paramref name="connection"/> (in its transaction, if one is open).</summary>
    private static async Task<IReadOnlyDictionary<string, long>> RowCountsAsync(NpgsqlConnection connection, CancellationToken ct, IProgress<WorkProgress>? progress = null)
    {
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
            connection))
        await using (var reader = await list.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                tables.Add(reader.GetString(0));
            }
        }

        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
            counts[table] = (long)(await count.ExecuteScalarAsync(ct))!;
            progress?.Report(new WorkProgress("counting rows", counts.Count, tables.Count, table));
        }

        return counts;
    }

    private static async Task<string> HashAsync(string file, CancellationToken ct)
    {
        await using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }

    /// <summary>Runs a PostgreSQL client tool; each line it writes to stderr goes to <paramref name="onLine"/>, and the last ones into the error of a failure.</summary>
    private static async Task RunAsync(string tool, NpgsqlConnectionStringBuilder target, Action<string> onLine, CancellationToken ct, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(EmbeddedPostgres.FindBinDirectory(), tool)) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("--host");
        start.ArgumentList.Add(target.Host!);
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add(target.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--username");
        start.ArgumentList.Add(target.Username ?? "postgres");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (!string.IsNullOrEmpty(target.Password))
        {
            start.Environment["PGPASSWORD"] = target.Password;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {tool}.");
        var lastLines = new Queue<string>();
        var error = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync(ct) is { } line)
            {
                onLine(line);
                lastLines.Enqueue(line);
                if (lastLines.Count > 20)
                {
                    lastLines.Dequeue();
                }
            }
        }, ct);
        await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        await error;
        if (process.ExitCode != 0)
        {
            // Verbose output: keep what explains the failure, not every table's line.
            var explanation = lastLines.Where(l => !l.Contains(": processing ", StringComparison.Ordinal) && !l.Contains(": dumping ", StringComparison.Ordinal)
                && !l.Contains(": reading ", StringComparison.Ordinal) && !l.Contains(": creating ", StringComparison.Ordinal));
            throw new InvalidOperationException($"{tool} failed with exit code {process.ExitCode}: {string.Join(Environment.NewLine, explanation)}");
        }
    }
}
