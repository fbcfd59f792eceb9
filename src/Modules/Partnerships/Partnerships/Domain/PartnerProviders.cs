using Dapper;
using Npgsql;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Outbox;
using Register.Providers.Contracts;

namespace Register.Partnerships.Domain;

/// <summary>The module's copy of a provider, as the Providers module last reported it.</summary>
internal sealed record PartnerProvider
{
    public Guid Id { get; init; }

    public string Code { get; init; } = "";

    public string OperatingName { get; init; } = "";

    public string ProviderType { get; init; } = "";

    public string AccreditationStatus { get; init; } = "";

    public bool Archived { get; init; }

    public bool Deleted { get; init; }

    public static Task<PartnerProvider?> FindAsync(NpgsqlConnection connection, Guid? id, NpgsqlTransaction? tx, CancellationToken ct) =>
        id is null
            ? Task.FromResult<PartnerProvider?>(null)
            : connection.QuerySingleOrDefaultAsync<PartnerProvider>(new CommandDefinition(
                "SELECT id, code, operating_name, provider_type, accreditation_status, archived, deleted FROM partnerships.partner_providers WHERE id = @id AND NOT deleted",
                new { id }, tx, cancellationToken: ct));
}

/// <summary>
/// Keeps <c>partnerships.partner_providers</c> from <see cref="ProviderChanged"/>: an outbox batch's changes in one
/// statement, the newest of each provider. A copy only moves forward, by
/// (occurred at, event id): event ids increase within a process, so of two notifications of one change (same
/// instant) the later one wins however they are delivered, and replays change nothing.
/// </summary>
internal sealed class PartnerProvidersHandler(NpgsqlDataSource db) : IIntegrationEventBatchConsumer
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
            INSERT INTO partnerships.partner_providers AS copy (id, code, operating_name, provider_type, accreditation_status, archived, deleted, as_of, last_event_id)
            SELECT * FROM unnest(@ids, @codes, @names, @types, @statuses, @archived, @deleted, @asOf, @eventIds)
            ON CONFLICT (id) DO UPDATE SET code = excluded.code, operating_name = excluded.operating_name, provider_type = excluded.provider_type,
                accreditation_status = excluded.accreditation_status, archived = excluded.archived, deleted = excluded.deleted,
                as_of = excluded.as_of, last_event_id = excluded.last_event_id
            WHERE (copy.as_of, copy.last_event_id) < (excluded.as_of, excluded.last_event_id)
            """,
            new
            {
                ids = changes.Select(c => c.Provider.Id).ToArray(),
                codes = changes.Select(c => c.Provider.Code).ToArray(),
                names = changes.Select(c => c.Provider.OperatingName).ToArray(),
                types = changes.Select(c => c.Provider.ProviderType).ToArray(),
                statuses = changes.Select(c => c.Provider.AccreditationStatus).ToArray(),
                archived = changes.Select(c => c.Provider.ArchivedAt is not null).ToArray(),
                deleted = changes.Select(c => c.Provider.DeletedAt is not null).ToArray(),
                asOf = changes.Select(c => c.OccurredAt).ToArray(),
                eventIds = changes.Select(c => c.EventId).ToArray(),
            },
            cancellationToken: ct));
    }
}
