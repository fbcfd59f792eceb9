using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Register.TestKit;

namespace Register.Host.Tests.Database;

/// <summary>ADR 31: a statement run a second time on one of Register's connections is prepared there; Database:MaxAutoPrepare=0 turns that off.</summary>
[Collection(HostCollection.Name)]
public sealed class PreparedStatementTests(HostFixture fixture) : ApiTest<HostFixture>(fixture)
{
    private const string Statement = "SELECT count(*) FROM trainees.trainees WHERE provider_id = @provider";

    [Fact]
    public async Task A_statement_run_twice_on_a_connection_is_prepared_there()
    {
        Assert.Equal(1, await PreparedAfterThreeRunsAsync(Api.Factory));
    }

    [Fact]
    public async Task MaxAutoPrepare_0_prepares_nothing()
    {
        await using var factory = new RegisterFactory(Api.ConnectionString, new Dictionary<string, string?> { ["Database:MaxAutoPrepare"] = "0" });

        Assert.Equal(0, await PreparedAfterThreeRunsAsync(factory));
    }

    private static async Task<long> PreparedAfterThreeRunsAsync(RegisterFactory factory)
    {
        factory.CreateClient().Dispose();
        await using var connection = await factory.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        for (var run = 0; run < 3; run++)
        {
            await connection.ExecuteScalarAsync<long>(Statement, new { provider = Guid.NewGuid() });
        }

        // The server's own list of what this session has prepared (protocol-level, so not from SQL's PREPARE).
        return await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM pg_prepared_statements WHERE NOT from_sql AND statement LIKE 'SELECT count(*) FROM trainees.trainees WHERE provider_id = %'");
    }
}
