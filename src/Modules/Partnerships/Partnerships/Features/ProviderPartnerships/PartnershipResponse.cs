using Dapper;
using Npgsql;
using Register.Partnerships.Domain;

namespace Register.Partnerships.Features.ProviderPartnerships;

internal sealed record PartnerResponse(Guid Id, string Name, string Code);

internal sealed record PartnershipResponse(
    Guid Id, PartnerResponse AccreditedProvider, PartnerResponse TrainingPartner, DateOnly StartDate, DateOnly? EndDate,
    IReadOnlyList<int> AcademicYears, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>Newest academic year first, each partner named as the register names it now.</summary>
    public static async Task<PartnershipResponse> FromAsync(NpgsqlConnection connection, ProviderPartnership p, NpgsqlTransaction? tx, CancellationToken ct) =>
        (await ListAsync(connection, [p], tx, ct))[0];

    /// <summary>Several partnerships, with their partners' names read in one query.</summary>
    public static async Task<IReadOnlyList<PartnershipResponse>> ListAsync(
        NpgsqlConnection connection, IReadOnlyList<ProviderPartnership> partnerships, NpgsqlTransaction? tx, CancellationToken ct)
    {
        var names = (await connection.QueryAsync<PartnerResponse>(new CommandDefinition(
            "SELECT id, operating_name AS name, code FROM partnerships.partner_providers WHERE id = ANY(@ids)",
            new { ids = partnerships.SelectMany(p => new[] { p.AccreditedProviderId, p.TrainingPartnerId }).Distinct().ToArray() }, tx, cancellationToken: ct)))
            .ToDictionary(n => n.Id);
        PartnerResponse Name(Guid id) => names.GetValueOrDefault(id) ?? new PartnerResponse(id, "", "");
        return partnerships.Select(p => new PartnershipResponse(p.Id, Name(p.AccreditedProviderId), Name(p.TrainingPartnerId), p.StartDate, p.EndDate,
            p.AcademicYears.OrderDescending().ToList(), p.CreatedAt, p.UpdatedAt)).ToList();
    }
}

internal sealed record PartnershipEnvelope(PartnershipResponse Data);

/// <summary>Archived providers are read-only, and so are their partnerships.</summary>
internal static class ArchivedPartners
{
    public static string? Refusal(PartnerProvider accredited, PartnerProvider partner) =>
        accredited.Archived ? $"{accredited.OperatingName} is archived, so its partnerships cannot be changed: restore it first"
        : partner.Archived ? $"{partner.OperatingName} is archived, so its partnerships cannot be changed: restore it first"
        : null;

    /// <summary>The refusal for changing an existing partnership, if either of its providers is archived.</summary>
    public static async Task<string?> RefusalAsync(Npgsql.NpgsqlTransaction tx, ProviderPartnership partnership, CancellationToken ct)
    {
        var accredited = await PartnerProvider.FindAsync(tx.Connection!, partnership.AccreditedProviderId, tx, ct);
        var partner = await PartnerProvider.FindAsync(tx.Connection!, partnership.TrainingPartnerId, tx, ct);
        return accredited is null || partner is null ? null : Refusal(accredited, partner);
    }

    public const string Overlap = "A partnership between these providers already exists for these dates: change the dates or the existing partnership";
}
