using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Register.BuildingBlocks.Database;

/// <summary>
/// A project-local PostgreSQL cluster run from the machine's own PostgreSQL binaries: the default when
/// no connection string is configured, and the database of every test run. The cluster listens on a
/// unix socket only, in a folder only its owner can enter, so it needs no password. When the process
/// runs as root the cluster runs as the <c>postgres</c> OS user, since PostgreSQL refuses root.
/// </summary>
public sealed class EmbeddedPostgres
{
    private const int Port = 5432;
    private readonly string _binDirectory;
    private readonly bool _asPostgresUser;
    private string _serverOptions = "";

    private EmbeddedPostgres(string clusterDirectory, string binDirectory, bool asPostgresUser)
    {
        ClusterDirectory = clusterDirectory;
        _binDirectory = binDirectory;
        _asPostgresUser = asPostgresUser;
    }

    public string ClusterDirectory { get; }

    /// <summary>False when another process (a running Register, say) had already started the cluster: then this one leaves it running.</summary>
    public bool StartedHere { get; private set; }

    private string DataDirectory => Path.Combine(ClusterDirectory, "data");

    private string SocketDirectory => Path.Combine(ClusterDirectory, "run");

    private string LogFile => Path.Combine(ClusterDirectory, "postgres.log");

    /// <summary>
    /// The folder a cluster for <paramref name="name"/> lives in by default: <c>.data/pg</c> under
    /// <paramref name="baseDirectory"/>; as root, a folder under <c>/var/lib/register</c> keyed by that
    /// directory, because the <c>postgres</c> user may not be able to reach a checkout (under /root, say).
    /// </summary>
    public static string DefaultClusterDirectory(string baseDirectory, string name = "pg")
    {
        if (!IsRoot())
        {
            return Path.Combine(baseDirectory, ".data", name);
        }

        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(baseDirectory))))[..12];
        return Path.Combine("/var/lib/register", $"{name}-{key}");
    }

    /// <summary>Initialises the cluster if it is new, and starts it unless it is already running.</summary>
    /// <param name="durable">False for throw-away test clusters: no fsync, which is much faster.</param>
    /// <param name="walArchiveDirectory">Where to archive every WAL segment, for point-in-time recovery; null for none.</param>
    public static async Task<EmbeddedPostgres> StartAsync(string clusterDirectory, bool durable = true, string? walArchiveDirectory = null, CancellationToken ct = default)
    {
        var asPostgresUser = IsRoot();
        var cluster = new EmbeddedPostgres(Path.GetFullPath(clusterDirectory), FindBinDirectory(), asPostgresUser);
        await cluster.InitialiseAsync(durable, ct);
        if (walArchiveDirectory is not null)
        {
            await cluster.PrepareDirectoryAsync(walArchiveDirectory, ct);
        }

        var archive = walArchiveDirectory is null ? "" :
            $" -c archive_mode=on -c archive_timeout=60 -c \"archive_command=test ! -f '{Path.GetFullPath(walArchiveDirectory)}/%f' && cp '%p' '{Path.GetFullPath(walArchiveDirectory)}/%f'\"";
        cluster._serverOptions = $"-c listen_addresses='' -c unix_socket_directories='{cluster.SocketDirectory}' -p {Port}" +
            (durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off") + archive;
        if (!cluster.IsRunning())
        {
            cluster.StartedHere = true;
            await cluster.RunAsync("pg_ctl", ct, "start", "-D", cluster.DataDirectory, "-w", "-t", "120", "-l", cluster.LogFile, "-o", cluster._serverOptions);
        }

        return cluster;
    }

    /// <summary>Whether the cluster's server is running (its <c>postmaster.pid</c> names a live process).</summary>
    public bool IsServerRunning => IsRunning();

    /// <summary>
    /// Stops the server now (fast shutdown: open connections are closed), whoever is connected: an outage, for the tests
    /// of how Register lives through one. <see cref="StartAgainAsync"/> brings it back.
    /// </summary>
    public Task StopNowAsync(CancellationToken ct = default) =>
        RunAsync("pg_ctl", ct, "stop", "-D", DataDirectory, "-m", "fast", "-w");

    /// <summary>Starts the server again with the options it was first started with.</summary>
    public Task StartAgainAsync(CancellationToken ct = default) =>
        RunAsync("pg_ctl", ct, "start", "-D", DataDirectory, "-w", "-t", "120", "-l", LogFile, "-o", _serverOptions);

    /// <summary>A base backup of the running cluster into <paramref name="directory"/> (plain format), the starting point of point-in-time recovery.</summary>
    public async Task BaseBackupAsync(string directory, CancellationToken ct = default)
    {
        await PrepareDirectoryAsync(directory, ct);
        await RunAsync("pg_basebackup", ct, "-D", Path.GetFullPath(directory), "-h", SocketDirectory, "-p", $"{Port}", "-U", "postgres", "--checkpoint=fast", "-X", "stream");
    }

    /// <summary>Closes the current WAL segment so the archive will hold every change up to now; returns the segment's file name.</summary>
    public async Task<string> SwitchWalAsync(CancellationToken ct = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT pg_walfile_name(pg_switch_wal())", connection);
        return (string)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Point-in-time recovery: a new cluster in <paramref name="clusterDirectory"/> from <paramref name="baseBackup"/>,
    /// replaying the archived WAL up to <paramref name="target"/> (the last commit at or before it), then opened for use.
    /// </summary>
    public static async Task<EmbeddedPostgres> RestoreToTimeAsync(string baseBackup, string walArchiveDirectory, DateTimeOffset target, string clusterDirectory, CancellationToken ct = default)
    {
        var cluster = new EmbeddedPostgres(Path.GetFullPath(clusterDirectory), FindBinDirectory(), IsRoot());
        Directory.CreateDirectory(cluster.ClusterDirectory);
        Directory.CreateDirectory(cluster.SocketDirectory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(cluster.ClusterDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.SetUnixFileMode(cluster.SocketDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        await cluster.RunRawAsync("cp", ct, "-a", Path.GetFullPath(baseBackup), cluster.DataDirectory);
        var archive = Path.GetFullPath(walArchiveDirectory);
        await File.WriteAllTextAsync(Path.Combine(cluster.DataDirectory, "recovery.signal"), "", ct);
        await File.AppendAllTextAsync(Path.Combine(cluster.DataDirectory, "postgresql.auto.conf"),
            $"\nrestore_command = 'cp \"{archive}/%f\" \"%p\"'\n" +
            $"recovery_target_time = '{target.ToUniversalTime():yyyy-MM-dd HH:mm:ss.ffffff}+00'\n" +
            "recovery_target_action = 'promote'\narchive_mode = off\n", ct);
        if (cluster._asPostgresUser)
        {
            await cluster.RunRawAsync("chown", ct, "-R", "postgres:postgres", cluster.ClusterDirectory);
        }

        await cluster.RunRawAsync("chmod", ct, "700", cluster.DataDirectory);
        cluster.StartedHere = true;
        await cluster.RunAsync("pg_ctl", ct,
            "start", "-D", cluster.DataDirectory, "-w", "-t", "120", "-l", cluster.LogFile, "-o",
            $"-c listen_addresses='' -c unix_socket_directories='{cluster.SocketDirectory}' -p {Port}");

        // pg_ctl returns once connections are accepted; recovery ends with promotion to a normal server.
        for (var attempt = 0; attempt < 600; attempt++)
        {
            await using var connection = new NpgsqlConnection(cluster.ConnectionString("postgres"));
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("SELECT pg_is_in_recovery()", connection);
            if (!(bool)(await command.ExecuteScalarAsync(ct))!)
            {
                return cluster;
            }

            await Task.Delay(100, ct);
        }

        throw new InvalidOperationException("The restored cluster did not finish recovery within a minute.");
    }

    private async Task PrepareDirectoryAsync(string directory, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        if (_asPostgresUser)
        {
            await RunRawAsync("chown", ct, "postgres:postgres", Path.GetFullPath(directory));
        }
    }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = SocketDirectory,
        Port = Port,
        Username = "postgres",
        Database = database,
        // Tells this process's connections from other processes' when deciding whether the cluster may stop.
        ApplicationName = ApplicationName,
    }.ConnectionString;

    private static string ApplicationName => $"register:{Environment.ProcessId}";

    /// <summary>Creates <paramref name="database"/> if it does not exist yet.</summary>
    public async Task EnsureDatabaseAsync(string database, CancellationToken ct = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
        exists.Parameters.AddWithValue(database);
        if (await exists.ExecuteScalarAsync(ct) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await create.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// Stops the cluster if this process started it and no other process is using it (a <c>serve</c> that
    /// attached to the cluster a CLI verb started keeps it running).
    /// </summary>
    public async Task StopAsync(CancellationToken ct = default)
    {
        if (!StartedHere || !IsRunning())
        {
            return;
        }

        try
        {
            if (await OthersConnectedAsync(ct))
            {
                return;
            }
        }
        catch (NpgsqlException)
        {
            // Stopping or stopped meanwhile (Ctrl-C in a terminal reaches the server too): make sure it is down.
        }

        if (IsRunning())
        {
            await RunAsync("pg_ctl", ct, "stop", "-D", DataDirectory, "-m", "fast", "-w");
        }
    }

    private async Task<bool> OthersConnectedAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND application_name IS DISTINCT FROM $1", connection);
        command.Parameters.AddWithValue(ApplicationName);
        return (long)(await command.ExecuteScalarAsync(ct))! > 0;
    }

    private bool IsRunning()
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return false;
        }

        var firstLine = File.ReadLines(pidFile).FirstOrDefault();
        if (!int.TryParse(firstLine, out var pid))
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private async Task InitialiseAsync(bool durable, CancellationToken ct)
    {
        Directory.CreateDirectory(ClusterDirectory);
        Directory.CreateDirectory(SocketDirectory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(ClusterDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.SetUnixFileMode(SocketDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        if (_asPostgresUser)
        {
            await RunRawAsync("chown", ct, "-R", "postgres:postgres", ClusterDirectory);
        }

        if (File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            return;
        }

        var arguments = new List<string> { "-D", DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8" };
        if (!durable)
        {
            arguments.Add("--no-sync");
        }

        await RunAsync("initdb", ct, [.. arguments]);
    }

    private Task RunAsync(string tool, CancellationToken ct, params string[] arguments)
    {
        var path = Path.Combine(_binDirectory, tool);
        return _asPostgresUser
            ? RunRawAsync("runuser", ct, ["-u", "postgres", "--", path, .. arguments])
            : RunRawAsync(path, ct, arguments);
    }

    private async Task RunRawAsync(string fileName, CancellationToken ct, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = ClusterDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            var log = File.Exists(LogFile) ? await File.ReadAllTextAsync(LogFile, ct) : "";
            log = log.Length > 2000 ? log[^2000..] : log;
            throw new InvalidOperationException(
                $"PostgreSQL: '{fileName} {string.Join(' ', arguments)}' failed with exit code {process.ExitCode}.\n{await output}\n{await error}\n{log}".TrimEnd());
        }
    }

    /// <summary>The folder of the machine's PostgreSQL server tools (initdb, pg_ctl, pg_dump, pg_restore).</summary>
    public static string FindBinDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("REGISTER_PG_BIN");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        // Debian keeps each major version's server binaries in /usr/lib/postgresql/<major>/bin.
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            var newest = Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (Dir: d, Major: int.TryParse(Path.GetFileName(d), out var major) ? major : -1))
                .Where(d => d.Major > 0 && File.Exists(Path.Combine(d.Dir, "bin", "initdb")))
                .OrderByDescending(d => d.Major)
                .FirstOrDefault();
            if (newest.Dir is not null)
            {
                return Path.Combine(newest.Dir, "bin");
            }
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
        return onPath ?? throw new InvalidOperationException(
            "PostgreSQL's server binaries (initdb, pg_ctl) were not found. Install them with " +
            "'apt-get install -y postgresql', set REGISTER_PG_BIN to their folder, or configure " +
            "ConnectionStrings__Register to use an existing server.");
    }

    // On Linux, Environment.UserName is the name of the effective user id.
    private static bool IsRoot() => !OperatingSystem.IsWindows() && Environment.UserName == "root";
}
