using Register.BuildingBlocks.Database;

namespace Register.TestKit;

/// <summary>
/// One throw-away PostgreSQL cluster per test process, started with the same launcher the Host uses
/// (machine's binaries, unix socket, as the postgres user when root), and removed when the process ends.
/// Test assemblies run in parallel, so each has its own cluster and databases.
/// </summary>
public static class TestDatabase
{
    private static readonly Lazy<Task<EmbeddedPostgres>> Cluster = new(StartAsync);

    /// <summary>A connection string to <paramref name="database"/>, created empty if it does not exist.</summary>
    public static async Task<string> ConnectionStringAsync(string database)
    {
        var cluster = await Cluster.Value;
        await cluster.EnsureDatabaseAsync(database);
        return cluster.ConnectionString(database);
    }

    private static async Task<EmbeddedPostgres> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "register-tests", $"{Environment.ProcessId}-{Guid.NewGuid():N}"[..20]);
        var cluster = await EmbeddedPostgres.StartAsync(directory, durable: false);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            cluster.StopAsync().GetAwaiter().GetResult();
            Directory.Delete(directory, recursive: true);
        };
        return cluster;
    }
}
