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
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO partnerships.partner_providers (id, code, operating_name, provider_type, accreditation_status, archived, deleted, as_of, last_event_id)
            VALUES (@Id, @Code, @OperatingName, @ProviderType, @AccreditationStatus, @archived, false, '-infinity', '00000000-0000-0000-0000-000000000000')
            ON CONFLICT (id) DO NOTHING
            """,
            snapshots.Select(p => new { p.Id, p.Code, p.OperatingName, p.ProviderType, p.AccreditationStatus, archived = p.ArchivedAt is not null }),
            cancellationToken: cancellationToken));
    }

}
