using Dapper;
using Npgsql;
using Register.Access.Features.Users;
using Register.Access.Tokens;
using Register.BuildingBlocks;

namespace Register.Access.Features.SignIn;

/// <summary>
/// One-time links that let a person set their password and sign in: <c>/sign-in/link?token=…</c>, the token random
/// (256 bits) and stored only as a keyed hash, valid for <c>SignIn:LinkLifetime</c> (a week), used once. A new link for
/// a person replaces their unused ones. The token is in the query, not the path, because request logs record paths;
/// the form that uses it posts it in its body.
/// </summary>
internal static class SignInLinks
{
    public const string Path = "/sign-in/link";

    /// <summary>The activity log's action when a support user makes someone a link: "User sign in link created".</summary>
    public const string Created = "sign_in_link_created";

    public sealed record Link(string Path, DateTimeOffset ExpiresAt);

    public static async Task<Link> CreateAsync(NpgsqlTransaction tx, TokenHasher hasher, SignInOptions options, Guid userId, string createdBy, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.UtcNowForDatabase();
        var token = TokenHasher.NewToken();
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE access.sign_in_links SET used_at = @now WHERE user_id = @userId AND used_at IS NULL", new { userId, now }, tx, cancellationToken: ct));
        var expiresAt = now + options.LinkLifetime;
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "INSERT INTO access.sign_in_links (token_hash, user_id, created_at, created_by_name, expires_at) VALUES (@hash, @userId, @now, @createdBy, @expiresAt)",
            new { hash = hasher.Hash(token), userId, now, createdBy, expiresAt }, tx, cancellationToken: ct));
        return new Link($"{Path}?token={token}", expiresAt);
    }

    /// <summary>The active user a live link is for, locking the link when inside a transaction that uses it.</summary>
    public static Task<User?> FindUserAsync(NpgsqlConnection connection, TokenHasher hasher, string token, TimeProvider clock, NpgsqlTransaction? tx, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<User>(new CommandDefinition(
            $"""
            SELECT {string.Join(", ", User.Columns.Split(", ").Select(c => "u." + c))}
            FROM access.sign_in_links l JOIN access.users u ON u.id = l.user_id
            WHERE l.token_hash = @hash AND l.used_at IS NULL AND l.expires_at > @now AND u.deleted_at IS NULL AND u.active
            """ + (tx is null ? "" : " FOR UPDATE OF l"),
            new { hash = hasher.Hash(token), now = clock.GetUtcNow() }, tx, cancellationToken: ct));

    public static Task UseAsync(NpgsqlTransaction tx, TokenHasher hasher, string token, TimeProvider clock, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE access.sign_in_links SET used_at = @now WHERE token_hash = @hash", new { hash = hasher.Hash(token), now = clock.UtcNowForDatabase() }, tx, cancellationToken: ct));
}
