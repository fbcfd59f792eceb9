using Dapper;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Register.BuildingBlocks.Database;
using Register.Providers.Contracts;

namespace Register.Partnerships.Domain;

/// <summary>
/// After migrations, at every start, adds to <c>partnerships.partner_providers</c> any provider it lacks (one created before this
/// module existed, say). The rows are dated "-infinity", so any real notification replaces them.
/// </summary>
internal sealed class PartnerProvidersBackfill(IServiceScopeFactory scopes, NpgsqlDataSource db) : IAfterMigration
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var snapshots = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ListProviderSnapshots(), cancellationToken);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        // One statement for all of them (arrays, not a row a round trip): this runs at every start.
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO partnerships.partner_providers (id, code, operating_name, provider_type, accreditation_status, archived, deleted, as_of, last_event_id)
            SELECT p.id, p.code, p.operating_name, p.provider_type, p.accreditation_status, p.archived, false,
                   '-infinity'::timestamptz, '00000000-0000-0000-0000-000000000000'::uuid
            FROM unnest(@ids, @codes, @names, @types, @statuses, @archived) AS p(id, code, operating_name, provider_type, accreditation_status, archived)
            ON CONFLICT (id) DO NOTHING
            """,
            new
            {
                ids = snapshots.Select(p => p.Id).ToArray(),
                codes = snapshots.Select(p => p.Code).ToArray(),
                names = snapshots.Select(p => p.OperatingName).ToArray(),
                types = snapshots.Select(p => p.ProviderType).ToArray(),
                statuses = snapshots.Select(p => p.AccreditationStatus).ToArray(),
                archived = snapshots.Select(p => p.ArchivedAt is not null).ToArray(),
            },
            cancellationToken: cancellationToken));
    }
}
