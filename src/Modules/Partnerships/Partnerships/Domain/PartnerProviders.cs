using Dapper;
using Mediator;
using Npgsql;
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
/// Keeps <c>partnerships.partner_providers</c> from <see cref="ProviderChanged"/>. A copy only moves forward, by
/// (occurred at, event id): event ids increase within a process, so of two notifications of one change (same
/// instant) the later one wins however they are delivered, and replays change nothing.
/// </summary>
internal sealed class PartnerProvidersHandler(NpgsqlDataSource db) : INotificationHandler<ProviderChanged>
{
    public async ValueTask Handle(ProviderChanged notification, CancellationToken cancellationToken)
    {
        var p = notification.Provider;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO partnerships.partner_providers (id, code, operating_name, provider_type, accreditation_status, archived, deleted, as_of, last_event_id)
            VALUES (@Id, @Code, @OperatingName, @ProviderType, @AccreditationStatus, @archived, @deleted, @OccurredAt, @EventId)
            ON CONFLICT (id) DO UPDATE SET code = excluded.code, operating_name = excluded.operating_name, provider_type = excluded.provider_type,
                accreditation_status = excluded.accreditation_status, archived = excluded.archived, deleted = excluded.deleted,
                as_of = excluded.as_of, last_event_id = excluded.last_event_id
            WHERE (partnerships.partner_providers.as_of, partnerships.partner_providers.last_event_id) < (excluded.as_of, excluded.last_event_id)
            """,
            new { p.Id, p.Code, p.OperatingName, p.ProviderType, p.AccreditationStatus, archived = p.ArchivedAt is not null, deleted = p.DeletedAt is not null, notification.OccurredAt, notification.EventId },
            cancellationToken: cancellationToken));
    }
}
