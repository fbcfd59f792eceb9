using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Register.BuildingBlocks.Database;

/// <summary>
/// Register's database: the configured <c>ConnectionStrings:Register</c>, or else a project-local
/// PostgreSQL cluster started for this process. <see cref="PrepareAsync"/> runs once at startup, before
/// anything opens a connection; it starts the cluster if needed and runs every module's migrations.
/// </summary>
public sealed class RegisterDatabase
{
    public const string ConnectionStringName = "Register";

    /// <summary>
    /// <c>ConnectionStrings:RegisterDirect</c>: a connection that keeps one server session (straight to PostgreSQL, or a
    /// session-pooling PgBouncer), for what needs one — the migrations at startup and scheduled backups (pg_dump). Unset:
    /// <c>ConnectionStrings:Register</c> is used for those too. See docs/operations.md.
    /// </summary>
    public const string DirectConnectionStringName = "RegisterDirect";

    private string? _connectionString;
    private string? _directConnectionString;

    public string ConnectionString =>
        _connectionString ?? throw new InvalidOperationException("The database is not prepared yet: call RegisterDatabase.PrepareAsync at startup.");

    /// <summary>The connection for migrations and backups: <see cref="DirectConnectionStringName"/>, or else <see cref="ConnectionString"/>.</summary>
    public string DirectConnectionString => _directConnectionString ?? ConnectionString;

    /// <summary>
    /// True once the migrations and the after-migration steps have run: the readiness check reports it, the background loops
    /// wait for it, and (when the Host started before PostgreSQL answered) requests are answered 503 until then.
    /// </summary>
    public bool IsMigrated { get; private set; }

    /// <summary>Set when this process started its own PostgreSQL cluster.</summary>
    public EmbeddedPostgres? Embedded { get; private set; }

    /// <summary>How often the start-up says it is still waiting for PostgreSQL.</summary>
    private static readonly TimeSpan WaitingLogInterval = TimeSpan.FromSeconds(10);

    /// <summary>The longest pause between two attempts to reach PostgreSQL at start-up, so the Host is ready soon after it is.</summary>
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(0.5);

    private int _embeddedStopped;
    private Action? _closeIdleConnections;

    /// <summary>
    /// Starts the project-local cluster (when no connection string is configured) or waits for the configured server to
    /// answer, then runs the migrations. A configured server that cannot be reached yet is tried again with a backoff
    /// (0.1 s doubling to at most 0.5 s), saying "Waiting for PostgreSQL at host:port" at the first attempt and every 10 s,
    /// for at most <c>Database:StartupTimeout</c> (or <paramref name="defaultStartupTimeout"/> when that is not set; no
    /// limit when both are unset or zero), after which it throws <see cref="DatabaseUnavailableException"/>.
    /// </summary>
    /// <param name="migrate">False for the restore verb: it needs the server, not a migrated database.</param>
    /// <param name="defaultStartupTimeout">How long to wait for the server when <c>Database:StartupTimeout</c> is not set; null for no limit.</param>
    public static async Task PrepareAsync(WebApplication app, bool migrate = true, TimeSpan? defaultStartupTimeout = null, CancellationToken ct = default)
    {
        var database = app.Services.GetRequiredService<RegisterDatabase>();
        var logger = app.Services.GetRequiredService<ILogger<RegisterDatabase>>();
        var connectionString = app.Configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var directory = app.Configuration["Database:EmbeddedDirectory"]
                ?? EmbeddedPostgres.DefaultClusterDirectory(Directory.GetCurrentDirectory());
            logger.LogInformation("No ConnectionStrings:Register configured: starting the project-local PostgreSQL cluster in {Directory}", directory);
            var name = app.Configuration["Database:Name"] ?? "register";
            var embedded = await EmbeddedPostgres.StartAsync(directory, durable: true, app.Configuration["Database:WalArchiveDirectory"], ct);
            database.Embedded = embedded;
            // Stopped once, whichever comes first: the host stopping (serve) or the verb ending (the others).
            database._closeIdleConnections = () =>
            {
                if (database._connectionString is not null)
                {
                    app.Services.GetService<NpgsqlDataSource>()?.Clear();
                }
            };
            app.Lifetime.ApplicationStopped.Register(() => database.StopEmbeddedAsync().GetAwaiter().GetResult());
            if (migrate)
            {
                await embedded.EnsureDatabaseAsync(name, ct);
            }

            connectionString = embedded.ConnectionString(name);
        }
        else
        {
            // Known before the server answers, so the services that need it can be built meanwhile (serve starts early).
            database._connectionString = connectionString;
            var configured = app.Configuration.GetValue<TimeSpan?>("Database:StartupTimeout") ?? defaultStartupTimeout;
            await WaitForServerAsync(connectionString, configured is { } limit && limit > TimeSpan.Zero ? limit : null, logger, ct);
        }

        database._connectionString = connectionString;
        database._directConnectionString = database.Embedded is null ? app.Configuration.GetConnectionString(DirectConnectionStringName) : null;
        if (!migrate)
        {
            return;
        }

        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(database.DirectConnectionString, ct);
        foreach (var step in app.Services.GetServices<IAfterMigration>())
        {
            await step.RunAsync(ct);
        }

        database.IsMigrated = true;
    }

    /// <summary>Whether the server answers a query now (one quick try, no waiting).</summary>
    public static async Task<bool> AnswersAsync(string connectionString, CancellationToken ct = default)
    {
        try
        {
            await using var connection = new NpgsqlConnection(ProbeConnectionString(connectionString));
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(ct);
            return true;
        }
        catch (Exception ex) when (DatabaseOutage.IsOutage(ex) && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>The connection string for trying the server: no pooling, and at most 5 s to connect.</summary>
    private static string ProbeConnectionString(string connectionString)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        return new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = Math.Clamp(target.Timeout, 1, 5) }.ConnectionString;
    }

    /// <summary>Stops the project-local cluster if this process started it (and no one else uses it); later calls do nothing.</summary>
    public async Task StopEmbeddedAsync()
    {
        if (Embedded is { } embedded && Interlocked.Exchange(ref _embeddedStopped, 1) == 0)
        {
            // Close the pool's idle connections first, so none is broken by the server going away.
            try
            {
                _closeIdleConnections?.Invoke();
            }
            catch (ObjectDisposedException)
            {
                // The services are gone already, and their connections with them.
            }

            await embedded.StopAsync();
        }
    }

    /// <summary>Tries the server until it answers a query, with a backoff capped at <see cref="MaxRetryDelay"/>.</summary>
    private static async Task WaitForServerAsync(string connectionString, TimeSpan? limit, ILogger logger, CancellationToken ct)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var where = $"{target.Host}:{target.Port}";
        var probe = ProbeConnectionString(connectionString);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(100);
        TimeSpan? lastSaid = null;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(probe);
                await connection.OpenAsync(ct);
                await using var command = new NpgsqlCommand("SELECT 1", connection);
                await command.ExecuteScalarAsync(ct);
                if (lastSaid is not null)
                {
                    logger.LogInformation("PostgreSQL at {Server:l} answered after {Seconds:0.0} s ({Attempts} attempts)", where, waited.Elapsed.TotalSeconds, attempt);
                }

                return;
            }
            catch (Exception ex) when (DatabaseOutage.IsOutage(ex) && !ct.IsCancellationRequested)
            {
                if (limit is { } max && waited.Elapsed >= max)
                {
                    throw new DatabaseUnavailableException(
                        $"PostgreSQL at {where} did not answer within {max.TotalSeconds:0} s (Database:StartupTimeout): {ex.Message}", ex);
                }

                if (lastSaid is null || waited.Elapsed - lastSaid >= WaitingLogInterval)
                {
                    lastSaid = waited.Elapsed;
                    logger.LogWarning(
                        "Waiting for PostgreSQL at {Server:l} ({Reason:l}); waited {Seconds:0} s so far, trying again {Until:l}",
                        where, ex.InnerException?.Message ?? ex.Message, waited.Elapsed.TotalSeconds,
                        limit is { } l ? $"for up to {l.TotalSeconds:0} s (Database:StartupTimeout)" : "until it answers (no Database:StartupTimeout)");
                }

                await Task.Delay(delay, ct);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }
}

/// <summary>The configured PostgreSQL did not answer within <c>Database:StartupTimeout</c>.</summary>
public sealed class DatabaseUnavailableException(string message, Exception inner) : Exception(message, inner);

public static class DatabaseServiceCollectionExtensions
{
    /// <summary>
    /// The database services every module uses: <see cref="NpgsqlDataSource"/>, the migrator, and the scheduled jobs'
    /// own schema (<c>jobs</c>: which due times ran, <c>migrations/jobs</c>) and scheduled backups.
    /// </summary>
    public static IServiceCollection AddRegisterDatabase(this IServiceCollection services)
    {
        DapperConventions.Apply();
        services.AddSingleton<RegisterDatabase>();
        services.AddSingleton<TransactionRunner>();
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<DatabaseOutageMonitor>();
        services.AddSingleton(sp =>
        {
            var outage = sp.GetRequiredService<DatabaseOutageMonitor>();
            var builder = new NpgsqlDataSourceBuilder(sp.GetRequiredService<RegisterDatabase>().ConnectionString);
            // No DISCARD ALL when a connection goes back to the pool (a round trip on every open): Register keeps no session
            // state on a pooled connection that another use could trip on — its locks are transaction locks
            // (pg_advisory_xact_lock) and it sets no session settings; the one session lock (the sandbox reset's) is
            // released in a finally. Npgsql still rolls back a transaction left open. See docs/operations.md.
            builder.ConnectionStringBuilder.NoResetOnClose = true;
            // Statements run twice on a connection are prepared there (Npgsql's automatic preparation): PostgreSQL then
            // neither parses nor plans them again, which was half its CPU on a write. Database:MaxAutoPrepare (0: off) is
            // how many a connection keeps, least recently used out; a connection string that sets it wins. See ADR 31.
            if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
            {
                builder.ConnectionStringBuilder.MaxAutoPrepare = sp.GetRequiredService<IConfiguration>().GetValue("Database:MaxAutoPrepare", 100);
                builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
            }

            return builder
                .UseLoggerFactory(sp.GetRequiredService<ILoggerFactory>())
                // A new physical connection is the first sign that an outage is over (the pool's old ones broke with it).
                .UsePhysicalConnectionInitializer(_ => outage.ReportSuccess(), _ =>
                {
                    outage.ReportSuccess();
                    return Task.CompletedTask;
                })
                .Build();
        });
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        services.AddModuleMigrations("jobs", typeof(RegisterDatabase).Assembly);
        services.AddSingleton<Jobs.ScheduledJobContext>();
        services.AddOptions<ScheduledBackupOptions>().BindConfiguration("Backups");
        services.AddSingleton<ScheduledBackups>();
        services.AddHostedService(sp => sp.GetRequiredService<ScheduledBackups>());
        return services;
    }

    /// <summary>Registers a module's migrations; they run in the order modules are added.</summary>
    public static IServiceCollection AddModuleMigrations(this IServiceCollection services, string schema, System.Reflection.Assembly assembly) =>
        services.AddSingleton(new ModuleMigrations(schema, assembly));
}
