using Dapper;
using Mediator;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Register.BuildingBlocks;
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
/// Keeps <c>trainees.providers</c> from <see cref="ProviderChanged"/>. A copy only moves forward, by (occurred at,
/// event id), so replays and late deliveries change nothing.
/// </summary>
internal sealed class KnownProvidersHandler(NpgsqlDataSource db, KnownProviderCache cache) : INotificationHandler<ProviderChanged>
{
    public async ValueTask Handle(ProviderChanged notification, CancellationToken cancellationToken)
    {
        var p = notification.Provider;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO trainees.providers AS copy (id, code, name, provider_type, ukprn, urn, archived, deleted, as_of, last_event_id)
            VALUES (@Id, @Code, @OperatingName, @ProviderType, @Ukprn, @Urn, @archived, @deleted, @OccurredAt, @EventId)
            ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name, provider_type = excluded.provider_type, ukprn = excluded.ukprn,
                urn = excluded.urn, archived = excluded.archived, deleted = excluded.deleted, as_of = excluded.as_of, last_event_id = excluded.last_event_id
            WHERE (copy.as_of, copy.last_event_id) < (excluded.as_of, excluded.last_event_id)
            """,
            new { p.Id, p.Code, p.OperatingName, p.ProviderType, p.Ukprn, p.Urn, archived = p.ArchivedAt is not null, deleted = p.DeletedAt is not null, notification.OccurredAt, notification.EventId },
            cancellationToken: cancellationToken));
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
