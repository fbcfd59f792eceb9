using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Npgsql;
using Register.Access.Features.Users;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Security;

namespace Register.Access.Features.SignIn;

/// <summary>
/// Signed-in sessions, kept server-side (<c>access.user_sessions</c>) behind the encrypted session cookie. Every page
/// request checks its session: ended (signed out, deactivated, deleted), idle for <c>SignIn:IdleTimeout</c> (2 hours)
/// or of a user no longer active means signed out; a changed name or role takes effect at once.
/// </summary>
internal sealed class UserSessions(NpgsqlDataSource db, TimeProvider clock, IOptions<SignInOptions> options)
{
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    /// <summary>Starts a session for <paramref name="user"/> and signs the cookie in.</summary>
    public async Task SignInAsync(HttpContext http, User user, string method, NpgsqlTransaction? tx = null) =>
        await http.SignInAsync(WebPolicies.Scheme, await StartAsync(user, method, tx, http.RequestAborted), new AuthenticationProperties { IsPersistent = false });

    /// <summary>Records a new session of <paramref name="user"/> (and the sign-in) and returns the cookie's principal for it.</summary>
    public async Task<ClaimsPrincipal> StartAsync(User user, string method, NpgsqlTransaction? tx, CancellationToken ct)
    {
        var now = clock.UtcNowForDatabase();
        var session = Guid.CreateVersion7(now);
        var command = new CommandDefinition(
            """
            INSERT INTO access.user_sessions (id, user_id, method, created_at, last_seen_at) VALUES (@session, @Id, @method, @now, @now);
            UPDATE access.users SET last_signed_in_at = @now, failed_sign_ins = 0, locked_until = NULL WHERE id = @Id;
            """,
            new { session, user.Id, method, now }, tx, cancellationToken: ct);
        if (tx is null)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await connection.ExecuteAsync(command);
        }
        else
        {
            await tx.Connection!.ExecuteAsync(command);
        }

        return Principal(user, session);
    }

    /// <summary>The cookie's principal for a session of <paramref name="user"/>.</summary>
    public static ClaimsPrincipal Principal(User user, Guid session) =>
        new(new ClaimsIdentity(
            new SignedInUser(user.Id, session, user.FirstName, user.LastName, user.Email, user.Role, user.SystemAdmin, user.ProviderId).ToClaims(),
            WebPolicies.Scheme, SignedInUser.EmailClaim, SignedInUser.RoleClaim));

    public async Task SignOutAsync(HttpContext http)
    {
        if (SignedInUser.From(http.User) is { } user)
        {
            await using var connection = await db.OpenConnectionAsync(http.RequestAborted);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE access.user_sessions SET ended_at = @now WHERE id = @SessionId AND ended_at IS NULL",
                new { user.SessionId, now = clock.UtcNowForDatabase() }, cancellationToken: http.RequestAborted));
        }

        await http.SignOutAsync(WebPolicies.Scheme);
    }

    /// <summary>The cookie handler's check of every request that carries a session cookie.</summary>
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var claimed = context.Principal is null ? null : SignedInUser.From(context.Principal);
        if (claimed is null)
        {
            await RejectAsync(context);
            return;
        }

        var now = clock.GetUtcNow();
        await using var connection = await db.OpenConnectionAsync(context.HttpContext.RequestAborted);
        var rows = await connection.QueryAsync<SessionRow, User, (SessionRow Session, User User)>(new CommandDefinition(
            $"""
            SELECT s.last_seen_at, s.ended_at, u.deleted_at, {string.Join(", ", User.Columns.Split(", ").Select(c => "u." + c))}
            FROM access.user_sessions s JOIN access.users u ON u.id = s.user_id
            WHERE s.id = @SessionId AND s.user_id = @Id
            """,
            new { claimed.SessionId, claimed.Id }, cancellationToken: context.HttpContext.RequestAborted), (session, user) => (session, user), splitOn: "id");
        var (row, current) = rows.SingleOrDefault();
        if (row is null || row.EndedAt is not null || row.DeletedAt is not null || !current.Active || now - row.LastSeenAt > options.Value.IdleTimeout)
        {
            if (row is { EndedAt: null })
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE access.user_sessions SET ended_at = @now WHERE id = @SessionId", new { claimed.SessionId, now }, cancellationToken: context.HttpContext.RequestAborted));
            }

            await RejectAsync(context);
            return;
        }

        if (now - row.LastSeenAt > TouchEvery)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE access.user_sessions SET last_seen_at = @now WHERE id = @SessionId", new { claimed.SessionId, now }, cancellationToken: context.HttpContext.RequestAborted));
        }

        if (claimed != SignedInUser.From(Principal(current, claimed.SessionId)))
        {
            context.ReplacePrincipal(Principal(current, claimed.SessionId));
            context.ShouldRenew = true;
        }
    }

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(WebPolicies.Scheme);
    }

    /// <summary>The session's own columns; the user's come beside them (split at <c>id</c>).</summary>
    private sealed record SessionRow
    {
        public DateTimeOffset LastSeenAt { get; init; }

        public DateTimeOffset? EndedAt { get; init; }

        public DateTimeOffset? DeletedAt { get; init; }
    }
}
