using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Register.BuildingBlocks.Database;
using Register.TestKit;

namespace Register.Host.Tests.Migrations;

[Collection(HostCollection.Name)]
public sealed class MigrationTests(HostFixture fixture) : ApiTest<HostFixture>(fixture)
{
    private IReadOnlyList<ModuleMigrations> Modules => Api.Factory.Services.GetServices<ModuleMigrations>().ToList();

    [Fact]
    public async Task Every_module_has_its_schema_and_its_own_journal_outside_it()
    {
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        var schemas = await connection.QueryAsync<string>("SELECT schema_name FROM information_schema.schemata");
        var journals = await connection.QueryAsync<string>(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'schemaversions_%' ORDER BY 1");

        Assert.Subset(schemas.ToHashSet(), new HashSet<string> { "access", "providers", "trainees", "partnerships", "activity_log" });
        Assert.Equal(
            ["schemaversions_access", "schemaversions_activity_log", "schemaversions_email", "schemaversions_jobs", "schemaversions_partnerships", "schemaversions_providers", "schemaversions_trainees", "schemaversions_web"],
            journals);
    }

    [Fact]
    public async Task A_restart_runs_no_migration_again()
    {
        var journalBefore = await JournalCountAsync(Api.ConnectionString);

        var ran = await new DatabaseMigrator(Modules, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(Api.ConnectionString);
        await using (var restarted = new RegisterFactory(Api.ConnectionString))
        {
            restarted.CreateClient().Dispose();
        }

        Assert.Empty(ran);
        Assert.Equal(journalBefore, await JournalCountAsync(Api.ConnectionString));
    }

    [Fact]
    public async Task Instances_starting_together_migrate_one_after_the_other()
    {
        var connectionString = await TestDatabase.ConnectionStringAsync($"register_concurrent_{Guid.NewGuid():N}");
        var migrators = Enumerable.Range(0, 3).Select(_ => new DatabaseMigrator(Modules, NullLogger<DatabaseMigrator>.Instance)).ToList();

        var results = await Task.WhenAll(migrators.Select(m => Task.Run(() => m.MigrateAsync(connectionString))));

        var all = results.SelectMany(r => r).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(await JournalCountAsync(Api.ConnectionString), all.Count);
        Assert.Single(results, r => r.Count > 0);
    }

    [Fact]
    public async Task A_failing_migration_stops_startup_and_leaves_no_half_written_script()
    {
        var connectionString = await TestDatabase.ConnectionStringAsync($"register_broken_{Guid.NewGuid():N}");
        await using var factory = new RegisterFactory(connectionString, services: s => s.AddModuleMigrations("broken", typeof(MigrationTests).Assembly));

        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        var migrationFailure = Assert.IsType<MigrationFailedException>(failure.GetBaseException() as MigrationFailedException ?? FindInner(failure));
        Assert.Contains("migrations.broken.0002_fails.sql", migrationFailure.Message, StringComparison.Ordinal);
        Assert.Contains("this_function_does_not_exist", migrationFailure.Message, StringComparison.Ordinal);
        await using var connection = new NpgsqlConnection(connectionString);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM broken.things"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM public.schemaversions_broken"));
    }

    private static MigrationFailedException? FindInner(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is MigrationFailedException found)
            {
                return found;
            }
        }

        return null;
    }

    private static async Task<long> JournalCountAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var tables = await connection.QueryAsync<string>(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'schemaversions_%'");
        long total = 0;
        foreach (var table in tables)
        {
            total += await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM public.{table}");
        }

        return total;
    }
}
