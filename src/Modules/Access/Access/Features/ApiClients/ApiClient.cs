using Dapper;
using Npgsql;
using Register.Access.Contracts;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;

namespace Register.Access.Features.ApiClients;

/// <summary>An API client as stored in <c>access.api_clients</c> (without its token hash), shared by the API client slices.</summary>
internal sealed record ApiClient
{
    public const string Columns =
        "id, name, audience, organisation_id, expires_on, created_at, created_by_name, created_by_id, updated_at, revoked_at, revoked_by_name, last_used_at";

    public Guid Id { get; init; }

    public string Name { get; init; } = "";

    public string Audience { get; init; } = "";

    public Guid? OrganisationId { get; init; }

    public DateOnly ExpiresOn { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public string CreatedByName { get; init; } = "";

    /// <summary>The user or API client that created it: an API user sees only the clients they created.</summary>
    public Guid? CreatedById { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }

    public string? RevokedByName { get; init; }

    public DateTimeOffset? LastUsedAt { get; init; }

    /// <summary>Finds a client that is not deleted, locking it for update when inside a transaction that changes it.</summary>
    public static Task<ApiClient?> FindAsync(NpgsqlConnection connection, Guid id, NpgsqlTransaction? forUpdate, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<ApiClient>(new CommandDefinition(
            $"SELECT {Columns} FROM access.api_clients WHERE id = @id AND deleted_at IS NULL" + (forUpdate is null ? "" : " FOR UPDATE"),
            new { id }, forUpdate, cancellationToken: ct));

    public string Status(DateOnly today) =>
        RevokedAt is not null ? "revoked" : ExpiresOn < today ? "expired" : "active";

    public ApiClientResponse ToResponse(TimeProvider clock, string? token = null) => new(
        Id, Name, Audience, OrganisationId, ExpiresOn, Status(clock.TodayInLondon()),
        CreatedAt, CreatedByName, UpdatedAt, RevokedAt, RevokedByName, LastUsedAt, token);

    public ApiClientChanged Changed(string action, Actor actor, DateTimeOffset at, IReadOnlyList<FieldChange> changes) =>
        new(EventIds.Next(at), at, Id, action, actor, changes, Name, Audience, OrganisationId);
}

/// <param name="Token">Only in the answer to the request that created the client: it is never shown again.</param>
internal sealed record ApiClientResponse(
    Guid Id,
    string Name,
    string Audience,
    Guid? OrganisationId,
    DateOnly ExpiresOn,
    string Status,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? RevokedAt,
    string? RevokedBy,
    DateTimeOffset? LastUsedAt,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    string? Token = null);

internal sealed record ApiClientEnvelope(ApiClientResponse Data);
