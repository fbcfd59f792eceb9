using Dapper;
using Npgsql;
using Register.Access.Contracts;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Security;

namespace Register.Access.Features.Users;

/// <summary>A support, API or provider user, as stored in <c>access.users</c> (without the password hash).</summary>
internal sealed record User
{
    public const string Columns =
        "id, first_name, last_name, email, role, system_admin, active, oidc_subject, last_signed_in_at, created_at, updated_at, provider_id";

    public Guid Id { get; init; }

    public string FirstName { get; init; } = "";

    public string LastName { get; init; } = "";

    public string Email { get; init; } = "";

    public string Role { get; init; } = WebRoles.Support;

    public bool SystemAdmin { get; init; }

    /// <summary>A provider user's training provider; null for support and API users.</summary>
    public Guid? ProviderId { get; init; }

    public bool Active { get; init; }

    public string? OidcSubject { get; init; }

    public DateTimeOffset? LastSignedInAt { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public string Name => $"{FirstName} {LastName}";

    public bool IsApiUser => Role == WebRoles.ApiUser;

    public bool IsProviderUser => Role == WebRoles.Provider;

    /// <summary>After the first sign-in, names and email come from the person's sign-in, as in the reference: only the role and status change.</summary>
    public bool HasSignedIn => LastSignedInAt is not null;

    public static Task<User?> FindAsync(NpgsqlConnection connection, Guid id, NpgsqlTransaction? forUpdate, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<User>(new CommandDefinition(
            $"SELECT {Columns} FROM access.users WHERE id = @id AND deleted_at IS NULL" + (forUpdate is null ? "" : " FOR UPDATE"),
            new { id }, forUpdate, cancellationToken: ct));

    /// <summary>A support or API user: a provider user is not one (they are on their provider's Users tab), so pages and APIs for support users answer 404.</summary>
    public static async Task<User?> FindSupportAsync(NpgsqlConnection connection, Guid id, NpgsqlTransaction? forUpdate, CancellationToken ct) =>
        await FindAsync(connection, id, forUpdate, ct) is { IsProviderUser: false } user ? user : null;

    /// <summary>A user of the provider (null for anyone else's, as for an unknown id).</summary>
    public static async Task<User?> FindOfProviderAsync(NpgsqlConnection connection, Guid providerId, Guid id, NpgsqlTransaction? forUpdate, CancellationToken ct) =>
        await FindAsync(connection, id, forUpdate, ct) is { IsProviderUser: true } user && user.ProviderId == providerId ? user : null;

    public static Task<User?> FindByEmailAsync(NpgsqlConnection connection, string email, NpgsqlTransaction? tx, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<User>(new CommandDefinition(
            $"SELECT {Columns} FROM access.users WHERE lower(email) = lower(@email) AND deleted_at IS NULL",
            new { email = email.Trim() }, tx, cancellationToken: ct));

    public Tracked Fields() => new(FirstName, LastName, Email, IsApiUser, Active);

    public UserChanged Changed(string action, Actor actor, DateTimeOffset at, User? before) =>
        new(EventIds.Next(at), at, Id, action, actor,
            FieldChanges.Between(action == RecordActions.Created ? null : before?.Fields(), action == RecordActions.Deleted ? null : Fields()), Name);

    /// <summary>What the activity log shows of a user, as the reference audits it.</summary>
    internal sealed record Tracked(string FirstName, string LastName, string Email, bool ApiUser, bool Active);
}

/// <summary>A user as the support API shows it.</summary>
internal sealed record UserResponse(
    Guid Id, string FirstName, string LastName, string Email, bool ApiUser, bool Active, bool SystemAdmin,
    DateTimeOffset? LastSignedInAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static UserResponse From(User u) => new(u.Id, u.FirstName, u.LastName, u.Email, u.IsApiUser, u.Active, u.SystemAdmin, u.LastSignedInAt, u.CreatedAt, u.UpdatedAt);
}

internal sealed record UserEnvelope(UserResponse Data);
