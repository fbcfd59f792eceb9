using Dapper;
using Npgsql;
using Register.BuildingBlocks;
using Register.Providers.Domain;

namespace Register.Providers.Features.Providers;

/// <summary>A provider as the support API shows it; <see cref="Accreditations"/>, addresses and contacts only on the show and write answers.</summary>
internal sealed record ProviderResponse(
    Guid Id,
    string RotpId,
    string OperatingName,
    string? LegalName,
    string ProviderType,
    string AccreditationStatus,
    string Code,
    string Ukprn,
    string? Urn,
    DateOnly? OnboardedOn,
    DateOnly? FirstActiveOn,
    IReadOnlyList<InactivePeriodResponse> InactivePeriods,
    IReadOnlyList<int> ActiveAcademicYears,
    DateTimeOffset? ArchivedAt,
    bool SeedDataWithIssues,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<AccreditationResponse>? Accreditations = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<AddressResponse>? Addresses = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<ContactResponse>? Contacts = null)
{
    public static ProviderResponse Summary(Provider p, DateOnly today) => new(
        p.Id, p.RotpId, p.OperatingName, p.LegalName, p.ProviderType, p.AccreditationStatus, p.Code, p.Ukprn, p.Urn, p.OnboardedOn, p.FirstActiveOn,
        p.InactivePeriods.Select(i => new InactivePeriodResponse(i.StartDate, i.EndDate, i.Reason)).ToList(),
        AcademicYears.Active(p.FirstActiveOn, p.InactivePeriods, today),
        p.ArchivedAt, p.SeedDataWithIssues, p.CreatedAt, p.UpdatedAt);

    /// <summary>The provider with its accreditations, addresses and contacts (none deleted).</summary>
    public static async Task<ProviderResponse> FullAsync(NpgsqlConnection connection, Provider provider, TimeProvider clock, CancellationToken ct, NpgsqlTransaction? tx = null)
    {
        var parts = new { providerId = provider.Id };
        var accreditations = await connection.QueryAsync<Accreditation>(new CommandDefinition(
            $"SELECT {Accreditation.Columns} FROM providers.accreditations WHERE provider_id = @providerId AND deleted_at IS NULL ORDER BY start_date, id", parts, tx, cancellationToken: ct));
        var addresses = await connection.QueryAsync<Address>(new CommandDefinition(
            $"SELECT {Address.Columns} FROM providers.addresses WHERE provider_id = @providerId AND deleted_at IS NULL ORDER BY created_at, id", parts, tx, cancellationToken: ct));
        var contacts = await connection.QueryAsync<Contact>(new CommandDefinition(
            $"SELECT {Contact.Columns} FROM providers.contacts WHERE provider_id = @providerId AND deleted_at IS NULL ORDER BY lower(last_name), lower(first_name), id", parts, tx, cancellationToken: ct));
        return Summary(provider, clock.TodayInLondon()) with
        {
            Accreditations = accreditations.Select(AccreditationResponse.From).ToList(),
            Addresses = addresses.Select(AddressResponse.From).ToList(),
            Contacts = contacts.Select(ContactResponse.From).ToList(),
        };
    }
}

internal sealed record InactivePeriodResponse(DateOnly StartDate, DateOnly? EndDate, string? Reason);

internal sealed record AccreditationResponse(Guid Id, string Number, DateOnly StartDate, DateOnly? EndDate, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static AccreditationResponse From(Accreditation a) => new(a.Id, a.Number, a.StartDate, a.EndDate, a.CreatedAt, a.UpdatedAt);
}

internal sealed record AddressResponse(
    Guid Id, string AddressLine1, string? AddressLine2, string? AddressLine3, string TownOrCity, string? County, string Postcode,
    decimal? Latitude, decimal? Longitude, string? Uprn, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static AddressResponse From(Address a) => new(
        a.Id, a.AddressLine1, a.AddressLine2, a.AddressLine3, a.TownOrCity, a.County, a.Postcode, a.Latitude, a.Longitude, a.Uprn, a.CreatedAt, a.UpdatedAt);
}

internal sealed record ContactResponse(Guid Id, string FirstName, string LastName, string Email, string? TelephoneNumber, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ContactResponse From(Contact c) => new(c.Id, c.FirstName, c.LastName, c.Email, c.TelephoneNumber, c.CreatedAt, c.UpdatedAt);
}

internal sealed record ProviderEnvelope(ProviderResponse Data);
