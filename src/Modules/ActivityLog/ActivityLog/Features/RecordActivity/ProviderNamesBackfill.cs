using Dapper;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Register.BuildingBlocks.Database;
using Register.Providers.Contracts;

namespace Register.ActivityLog.Features.RecordActivity;

/// <summary>
/// After migrations, at every start, adds to <c>activity_log.provider_names</c> any provider it lacks. The rows are dated
/// "-infinity", so any real notification replaces them.
/// </summary>
internal sealed class ProviderNamesBackfill(IServiceScopeFactory scopes, NpgsqlDataSource db) : IAfterMigration
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var snapshots = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ListProviderSnapshots(), cancellationToken);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        // One statement for all of them (arrays, not a row a round trip): this runs at every start.
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO activity_log.provider_names (id, operating_name, deleted, as_of, last_event_id)
            SELECT p.id, p.operating_name, false, '-infinity'::timestamptz, '00000000-0000-0000-0000-000000000000'::uuid
            FROM unnest(@ids, @names) AS p(id, operating_name)
            ON CONFLICT (id) DO NOTHING
            """,
            new { ids = snapshots.Select(p => p.Id).ToArray(), names = snapshots.Select(p => p.OperatingName).ToArray() },
            cancellationToken: cancellationToken));
    }
}
