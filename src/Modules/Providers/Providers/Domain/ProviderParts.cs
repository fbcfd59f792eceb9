using Dapper;
using Microsoft.AspNetCore.Http;
using Npgsql;
using Register.BuildingBlocks.Http;

namespace Register.Providers.Domain;

internal sealed record Accreditation
{
    public const string Columns = "id, provider_id, number, start_date, end_date, created_at, updated_at";

    public Guid Id { get; init; }

    public Guid ProviderId { get; init; }

    public string Number { get; init; } = "";

    public DateOnly StartDate { get; init; }

    public DateOnly? EndDate { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public Tracked Fields() => new(Number, StartDate, EndDate);

    internal sealed record Tracked(string Number, DateOnly StartDate, DateOnly? EndDate);
}

internal sealed record Address
{
    public const string Columns =
        "id, provider_id, address_line_1, address_line_2, address_line_3, town_or_city, county, postcode, latitude, longitude, uprn, created_at, updated_at";

    public Guid Id { get; init; }

    public Guid ProviderId { get; init; }

    public string AddressLine1 { get; init; } = "";

    public string? AddressLine2 { get; init; }

    public string? AddressLine3 { get; init; }

    public string TownOrCity { get; init; } = "";

    public string? County { get; init; }

    public string Postcode { get; init; } = "";

    public decimal? Latitude { get; init; }

    public decimal? Longitude { get; init; }

    public string? Uprn { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public Tracked Fields() => new(AddressLine1, AddressLine2, AddressLine3, TownOrCity, County, Postcode, Latitude, Longitude, Uprn);

    internal sealed record Tracked(
        string AddressLine1, string? AddressLine2, string? AddressLine3, string TownOrCity, string? County, string Postcode,
        decimal? Latitude, decimal? Longitude, string? Uprn);
}

internal sealed record Contact
{
    public const string Columns = "id, provider_id, first_name, last_name, email, telephone_number, created_at, updated_at";

    public Guid Id { get; init; }

    public Guid ProviderId { get; init; }

    public string FirstName { get; init; } = "";

    public string LastName { get; init; } = "";

    public string Email { get; init; } = "";

    public string? TelephoneNumber { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public Tracked Fields() => new(FirstName, LastName, Email, TelephoneNumber);

    internal sealed record Tracked(string FirstName, string LastName, string Email, string? TelephoneNumber);
}

/// <summary>The provider a change to it or its parts applies to: it must exist, and not be archived (archived providers are read-only).</summary>
internal static class EditableProvider
{
    public static async Task<(Provider? Provider, ApiErrorResult? Error)> FindAsync(NpgsqlTransaction tx, Guid id, CancellationToken ct)
    {
        var provider = await Provider.FindAsync(tx.Connection!, id, tx, ct);
        return provider switch
        {
            null => (null, ApiErrors.NotFound("Provider not found")),
            { IsArchived: true } => (null, ApiErrors.Conflict("The provider is archived, so it cannot be changed: restore it first")),
            _ => (provider, null),
        };
    }

    /// <summary>Loads one of the provider's parts, not deleted, locked for update.</summary>
    public static Task<T?> FindPartAsync<T>(NpgsqlTransaction tx, string table, string columns, Guid providerId, Guid id, CancellationToken ct) =>
        tx.Connection!.QuerySingleOrDefaultAsync<T>(new CommandDefinition(
            $"SELECT {columns} FROM providers.{table} WHERE id = @id AND provider_id = @providerId AND deleted_at IS NULL FOR UPDATE",
            new { id, providerId }, tx, cancellationToken: ct));

    public static ApiErrorResult PartNotFound(string what) => ApiErrors.NotFound($"{what} not found");

    /// <summary>
    /// The provider (editable) and one of its parts, locked for update: what every change to a part starts with.
    /// The error is the 404 or 409 to answer when either is missing or the provider is archived.
    /// </summary>
    public static async Task<(Provider? Provider, T? Part, ApiErrorResult? Error)> FindWithPartAsync<T>(
        NpgsqlTransaction tx, PartKind<T> kind, Guid providerId, Guid id, CancellationToken ct)
        where T : class
    {
        var (provider, error) = await FindAsync(tx, providerId, ct);
        if (provider is null)
        {
            return (null, null, error);
        }

        var part = await FindPartAsync<T>(tx, kind.Table, kind.Columns, providerId, id, ct);
        return part is null ? (provider, null, PartNotFound(kind.Name)) : (provider, part, null);
    }
}

/// <summary>The delete every part of a provider shares: find it (404), refuse on an archived provider (409), soft-delete it with its notification.</summary>
internal static class DeletePart
{
    public static Task<Outcome<T>> RunAsync<T>(
        Register.BuildingBlocks.Database.TransactionRunner transactions, TimeProvider clock, Register.BuildingBlocks.Contracts.Actor actor,
        Guid providerId, Guid id, PartKind<T> kind, CancellationToken ct, Func<NpgsqlTransaction, DateTimeOffset, Task>? afterwards = null)
        where T : class =>
        transactions.RunAsync(ProvidersModule.Schema, async tx =>
        {
            var (_, part, error) = await EditableProvider.FindWithPartAsync(tx, kind, providerId, id, ct);
            if (part is null)
            {
                return (Outcome<T>)error!;
            }

            var now = Register.BuildingBlocks.DatabaseTime.UtcNowForDatabase(clock);
            await PartStore.DeleteAsync(tx, kind.Table, kind.RecordType, id, providerId, kind.Changes(part), actor, now, ct);
            if (afterwards is not null)
            {
                await afterwards(tx, now);
            }

            return part;
        }, ct);
}

/// <summary>Where a kind of provider part lives and how its deletion reads in the activity log.</summary>
internal sealed record PartKind<T>(string Name, string Table, string RecordType, string Columns, Func<T, IReadOnlyList<Register.BuildingBlocks.Contracts.FieldChange>> Changes);

internal static class PartKinds
{
    public static readonly PartKind<Accreditation> Accreditations =
        new("Accreditation", "accreditations", "accreditation", Accreditation.Columns, a => Register.BuildingBlocks.Contracts.FieldChanges.Between(a.Fields(), null));

    public static readonly PartKind<Address> Addresses =
        new("Address", "addresses", "address", Address.Columns, a => Register.BuildingBlocks.Contracts.FieldChanges.Between(a.Fields(), null));

    public static readonly PartKind<Contact> Contacts =
        new("Contact", "contacts", "contact", Contact.Columns, c => Register.BuildingBlocks.Contracts.FieldChanges.Between(c.Fields(), null));
}
