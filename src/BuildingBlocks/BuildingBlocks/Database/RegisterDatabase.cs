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

    /// <summary>True once the migrations have run: the readiness check reports it.</summary>
    public bool IsMigrated { get; private set; }

    /// <summary>Set when this process started its own PostgreSQL cluster.</summary>
    public EmbeddedPostgres? Embedded { get; private set; }

    /// <param name="migrate">False for the restore verb: it needs the server, not a migrated database.</param>
    public static async Task PrepareAsync(WebApplication app, bool migrate = true, CancellationToken ct = default)
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
            if (migrate)
            {
                await embedded.EnsureDatabaseAsync(name, ct);
            }

            database.Embedded = embedded;
            connectionString = embedded.ConnectionString(name);
            app.Lifetime.ApplicationStopped.Register(() => embedded.StopAsync().GetAwaiter().GetResult());
        }

        database._connectionString = connectionString;
        database._directConnectionString = database.Embedded is null ? app.Configuration.GetConnectionString(DirectConnectionStringName) : null;
        if (!migrate)
        {
            return;
        }

        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(database.DirectConnectionString, ct);
        database.IsMigrated = true;
        foreach (var step in app.Services.GetServices<IAfterMigration>())
        {
            await step.RunAsync(ct);
        }
    }
}

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
        services.AddSingleton(sp => new NpgsqlDataSourceBuilder(sp.GetRequiredService<RegisterDatabase>().ConnectionString)
            .UseLoggerFactory(sp.GetRequiredService<ILoggerFactory>())
            .Build());
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
