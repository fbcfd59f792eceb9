using Dapper;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Register.BuildingBlocks.Database;
using Register.Partnerships.Contracts;
using Register.Providers.Contracts;

namespace Register.Trainees.Domain;

/// <summary>
/// After migrations, at every start, adds to the module's copies any provider or school they lack (created before this
/// module existed, say), asking the Providers and Partnerships modules through their contracts. The rows are dated
/// "-infinity", so any real notification replaces them; one statement a table.
/// </summary>
internal sealed class KnownOrganisationsBackfill(IServiceScopeFactory scopes, NpgsqlDataSource db) : IAfterMigration
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var sender = scope.ServiceProvider.GetRequiredService<ISender>();
        var providerSnapshots = await sender.Send(new ListProviderSnapshots(), cancellationToken);
        var schools = await sender.Send(new ListSchoolSnapshots(), cancellationToken);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO trainees.providers (id, code, name, provider_type, ukprn, urn, archived, deleted, as_of, last_event_id)
            SELECT p.id, p.code, p.name, p.provider_type, p.ukprn, p.urn, p.archived, false, '-infinity'::timestamptz, '00000000-0000-0000-0000-000000000000'::uuid
            FROM unnest(@ids, @codes, @names, @types, @ukprns, @urns, @archived) AS p(id, code, name, provider_type, ukprn, urn, archived)
            ON CONFLICT (id) DO NOTHING
            """,
            new
            {
                ids = providerSnapshots.Select(p => p.Id).ToArray(),
                codes = providerSnapshots.Select(p => p.Code).ToArray(),
                names = providerSnapshots.Select(p => p.OperatingName).ToArray(),
                types = providerSnapshots.Select(p => p.ProviderType).ToArray(),
                ukprns = providerSnapshots.Select(p => p.Ukprn).ToArray(),
                urns = providerSnapshots.Select(p => p.Urn).ToArray(),
                archived = providerSnapshots.Select(p => p.ArchivedAt is not null).ToArray(),
            },
            cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO trainees.schools (id, urn, name, postcode, as_of, last_event_id)
            SELECT s.id, s.urn, s.name, s.postcode, '-infinity'::timestamptz, '00000000-0000-0000-0000-000000000000'::uuid
            FROM unnest(@ids, @urns, @names, @postcodes) AS s(id, urn, name, postcode)
            ON CONFLICT (id) DO NOTHING
            """,
            new
            {
                ids = schools.Select(s => s.Id).ToArray(),
                urns = schools.Select(s => s.Urn).ToArray(),
                names = schools.Select(s => s.Name).ToArray(),
                postcodes = schools.Select(s => s.Postcode).ToArray(),
            },
            cancellationToken: cancellationToken));
    }
}
