using Dapper;
using Npgsql;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Outbox;
using Register.Providers.Contracts;

namespace Register.Providers.Domain;

/// <summary>Writes of a provider's accreditations, addresses and contacts, each with its notification, in the caller's transaction.</summary>
internal static class PartStore
{
    public static async Task<Accreditation> InsertAccreditationAsync(NpgsqlTransaction tx, Guid providerId, AccreditationDraft draft, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var row = await tx.Connection!.QuerySingleAsync<Accreditation>(new CommandDefinition(
            $"""
            INSERT INTO providers.accreditations (id, provider_id, number, start_date, end_date, created_at, updated_at)
            VALUES (@id, @providerId, @Number, @StartDate, @EndDate, @now, @now) RETURNING {Accreditation.Columns}
            """,
            new { id = Guid.CreateVersion7(now), providerId, draft.Number, draft.StartDate, draft.EndDate, now }, tx, cancellationToken: ct));
        await EnqueueAsync(tx, "accreditation", row.Id, providerId, RecordActions.Created, actor, now, FieldChanges.Between(null, row.Fields()), ct);
        return row;
    }

    public static async Task<Accreditation> UpdateAccreditationAsync(NpgsqlTransaction tx, Accreditation before, AccreditationDraft draft, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var row = await tx.Connection!.QuerySingleAsync<Accreditation>(new CommandDefinition(
            $"UPDATE providers.accreditations SET number = @Number, start_date = @StartDate, end_date = @EndDate, updated_at = @now WHERE id = @Id RETURNING {Accreditation.Columns}",
            new { before.Id, draft.Number, draft.StartDate, draft.EndDate, now }, tx, cancellationToken: ct));
        await EnqueueIfChangedAsync(tx, "accreditation", row.Id, before.ProviderId, actor, now, FieldChanges.Between(before.Fields(), row.Fields()), ct);
        return row;
    }

    public static async Task<Address> InsertAddressAsync(NpgsqlTransaction tx, Guid providerId, AddressDraft draft, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var row = await tx.Connection!.QuerySingleAsync<Address>(new CommandDefinition(
            $"""
            INSERT INTO providers.addresses
                (id, provider_id, address_line_1, address_line_2, address_line_3, town_or_city, county, postcode, latitude, longitude, uprn, created_at, updated_at)
            VALUES (@id, @providerId, @AddressLine1, @AddressLine2, @AddressLine3, @TownOrCity, @County, @Postcode, @Latitude, @Longitude, @Uprn, @now, @now)
            RETURNING {Address.Columns}
            """,
            new
            {
                id = Guid.CreateVersion7(now),
                providerId,
                draft.AddressLine1,
                draft.AddressLine2,
                draft.AddressLine3,
                draft.TownOrCity,
                draft.County,
                draft.Postcode,
                draft.Latitude,
                draft.Longitude,
                draft.Uprn,
                now,
            }, tx, cancellationToken: ct));
        await EnqueueAsync(tx, "address", row.Id, providerId, RecordActions.Created, actor, now, FieldChanges.Between(null, row.Fields()), ct);
        return row;
    }

    public static async Task<Address> UpdateAddressAsync(NpgsqlTransaction tx, Address before, AddressDraft draft, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var row = await tx.Connection!.QuerySingleAsync<Address>(new CommandDefinition(
            $"""
            UPDATE providers.addresses SET address_line_1 = @AddressLine1, address_line_2 = @AddressLine2, address_line_3 = @AddressLine3,
                town_or_city = @TownOrCity, county = @County, postcode = @Postcode, latitude = @Latitude, longitude = @Longitude, uprn = @Uprn, updated_at = @now
            WHERE id = @Id RETURNING {Address.Columns}
            """,
            new
            {
                before.Id,
                draft.AddressLine1,
                draft.AddressLine2,
                draft.AddressLine3,
                draft.TownOrCity,
                draft.County,
                draft.Postcode,
                draft.Latitude,
                draft.Longitude,
                draft.Uprn,
                now,
            }, tx, cancellationToken: ct));
        await EnqueueIfChangedAsync(tx, "address", row.Id, before.ProviderId, actor, now, FieldChanges.Between(before.Fields(), row.Fields()), ct);
        return row;
    }

    public static async Task<Contact> InsertContactAsync(NpgsqlTransaction tx, Guid providerId, ContactDraft draft, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var row = await tx.Connection!.QuerySingleAsync<Contact>(new CommandDefinition(
            $"""
            INSERT INTO providers.contacts (id, provider_id, first_name, last_name, email, telephone_number, created_at, updated_at)
            VALUES (@id, @providerId, @FirstName, @LastName, @Email, @TelephoneNumber, @now, @now) RETURNING {Contact.Columns}
            """,
            new { id = Guid.CreateVersion7(now), providerId, draft.FirstName, draft.LastName, draft.Email, draft.TelephoneNumber, now }, tx, cancellationToken: ct));
        await EnqueueAsync(tx, "contact", row.Id, providerId, RecordActions.Created, actor, now, FieldChanges.Between(null, row.Fields()), ct);
        return row;
    }

    public static async Task<Contact> UpdateContactAsync(NpgsqlTransaction tx, Contact before, ContactDraft draft, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var row = await tx.Connection!.QuerySingleAsync<Contact>(new CommandDefinition(
            $"""
            UPDATE providers.contacts SET first_name = @FirstName, last_name = @LastName, email = @Email, telephone_number = @TelephoneNumber, updated_at = @now
            WHERE id = @Id RETURNING {Contact.Columns}
            """,
            new { before.Id, draft.FirstName, draft.LastName, draft.Email, draft.TelephoneNumber, now }, tx, cancellationToken: ct));
        await EnqueueIfChangedAsync(tx, "contact", row.Id, before.ProviderId, actor, now, FieldChanges.Between(before.Fields(), row.Fields()), ct);
        return row;
    }

    /// <summary>Soft-deletes an accreditation, address or contact (<paramref name="table"/> is a constant of the calling slice).</summary>
    public static async Task DeleteAsync(NpgsqlTransaction tx, string table, string recordType, Guid id, Guid providerId, IReadOnlyList<FieldChange> changes, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            $"UPDATE providers.{table} SET deleted_at = @now, updated_at = @now WHERE id = @id", new { id, now }, tx, cancellationToken: ct));
        await EnqueueAsync(tx, recordType, id, providerId, RecordActions.Deleted, actor, now, changes, ct);
    }

    /// <summary>Whether another contact of the provider (deleted ones included, as the reference's index) has this email.</summary>
    public static Task<bool> ContactEmailTakenAsync(NpgsqlTransaction tx, Guid providerId, string email, Guid? except, CancellationToken ct) =>
        ContactEmailTakenAsync(tx.Connection!, tx, providerId, email, except, ct);

    public static Task<bool> ContactEmailTakenAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid providerId, string email, Guid? except, CancellationToken ct) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM providers.contacts WHERE provider_id = @providerId AND lower(email) = lower(@email) AND id IS DISTINCT FROM @except)",
            new { providerId, email, except }, tx, cancellationToken: ct));

    private static Task EnqueueIfChangedAsync(NpgsqlTransaction tx, string recordType, Guid id, Guid providerId, Actor actor, DateTimeOffset now, IReadOnlyList<FieldChange> changes, CancellationToken ct) =>
        changes.Count == 0 ? Task.CompletedTask : EnqueueAsync(tx, recordType, id, providerId, RecordActions.Updated, actor, now, changes, ct);

    private static Task EnqueueAsync(NpgsqlTransaction tx, string recordType, Guid id, Guid providerId, string action, Actor actor, DateTimeOffset now, IReadOnlyList<FieldChange> changes, CancellationToken ct) =>
        Outbox.EnqueueAsync(tx, ProvidersModule.Schema, new ProviderPartChanged(EventIds.Next(now), now, recordType, id, providerId, action, actor, changes), ct);
}
