using Dapper;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Outbox;
using Register.Providers.Contracts;

namespace Register.Trainees.Domain;

/// <summary>The module's copy of a provider: the token's own provider, or a training partner.</summary>
internal sealed record KnownProvider
{
    public const string Columns = "id, code, name, provider_type, ukprn, urn, archived, deleted";

    public Guid Id { get; init; }

    public string Code { get; init; } = "";

    public string Name { get; init; } = "";

    public string ProviderType { get; init; } = "";

    public string? Ukprn { get; init; }

    public string? Urn { get; init; }

    public bool Archived { get; init; }

    public bool Deleted { get; init; }

    public static Task<KnownProvider?> FindAsync(NpgsqlConnection connection, Guid id, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<KnownProvider>(new CommandDefinition(
            $"SELECT {Columns} FROM trainees.providers WHERE id = @id", new { id }, cancellationToken: ct));
}

/// <summary>
/// Keeps <c>trainees.providers</c> from <see cref="ProviderChanged"/>: an outbox batch's changes in one statement, the
/// newest of each provider. A copy only moves forward, by (occurred at, event id), so replays and late deliveries change
/// nothing.
/// </summary>
internal sealed class KnownProvidersHandler(NpgsqlDataSource db, KnownProviderCache cache) : IIntegrationEventBatchConsumer
{
    public async ValueTask ConsumeAsync(IReadOnlyList<IIntegrationEvent> events, CancellationToken ct)
    {
        var changes = ProviderChanges.NewestOfEach(events);
        if (changes.Count == 0)
        {
            return;
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO trainees.providers AS copy (id, code, name, provider_type, ukprn, urn, archived, deleted, as_of, last_event_id)
            SELECT * FROM unnest(@ids, @codes, @names, @types, @ukprns, @urns, @archived, @deleted, @asOf, @eventIds)
            ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name, provider_type = excluded.provider_type, ukprn = excluded.ukprn,
                urn = excluded.urn, archived = excluded.archived, deleted = excluded.deleted, as_of = excluded.as_of, last_event_id = excluded.last_event_id
            WHERE (copy.as_of, copy.last_event_id) < (excluded.as_of, excluded.last_event_id)
            """,
            new
            {
                ids = changes.Select(c => c.Provider.Id).ToArray(),
                codes = changes.Select(c => c.Provider.Code).ToArray(),
                names = changes.Select(c => c.Provider.OperatingName).ToArray(),
                types = changes.Select(c => c.Provider.ProviderType).ToArray(),
                ukprns = changes.Select(c => c.Provider.Ukprn).ToArray(),
                urns = changes.Select(c => c.Provider.Urn).ToArray(),
                archived = changes.Select(c => c.Provider.ArchivedAt is not null).ToArray(),
                deleted = changes.Select(c => c.Provider.DeletedAt is not null).ToArray(),
                asOf = changes.Select(c => c.OccurredAt).ToArray(),
                eventIds = changes.Select(c => c.EventId).ToArray(),
            },
            cancellationToken: ct));
        cache.Providers.ForgetAll();
    }
}

/// <summary>
/// The providers the trainee API's tokens belong to, by id, for <c>Trainees:ProviderCacheFor</c> (10 seconds; zero turns it
/// off), so a request reads no provider row. The module's copy changing in this process (<see cref="KnownProvidersHandler"/>)
/// empties it at once; another Register process's change is seen within <c>Trainees:ProviderCacheFor</c>.
/// </summary>
internal sealed class KnownProviderCache(IConfiguration configuration)
{
    public ShortLivedCache<Guid, KnownProvider> Providers { get; } =
        new(configuration.GetValue<TimeSpan?>("Trainees:ProviderCacheFor") ?? TimeSpan.FromSeconds(10));

    /// <summary>The provider from the cache, or else from the module's copy (and kept).</summary>
    public Task<KnownProvider?> FindAsync(NpgsqlDataSource db, Guid id, CancellationToken ct) =>
        Providers.GetOrLoadAsync(id, async () =>
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            return await KnownProvider.FindAsync(connection, id, ct);
        });
}
