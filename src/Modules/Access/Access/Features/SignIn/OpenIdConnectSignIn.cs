using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Register.Access.Features.Users;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Outbox;
using Register.BuildingBlocks.Telemetry;

namespace Register.Access.Features.SignIn;

/// <summary>
/// Sign-in through the identity provider (DfE Sign-in is OpenID Connect). A person is matched as the reference matches
/// them: by the provider's subject id, else by email for an account that has never signed in through it (an account
/// bound to another subject is refused). Their names and email then follow the provider's. No account: "Ask for an
/// account"; an inactive one: "not authorised".
/// </summary>
internal sealed class OpenIdConnectSignIn(
    TransactionRunner transactions, UserSessions sessions, TimeProvider clock, RegisterMetrics metrics, ILogger<OpenIdConnectSignIn> logger)
{
    public const string Scheme = "oidc";
    public const string CallbackPath = "/auth/dfe/callback";

    /// <summary>Where the sign-ins through the identity provider are counted (once the session is committed).</summary>
    internal RegisterMetrics Metrics => metrics;

    public static async Task OnTokenValidatedAsync(TokenValidatedContext context)
    {
        var signIn = context.HttpContext.RequestServices.GetRequiredService<OpenIdConnectSignIn>();
        var (principal, refusal) = await signIn.MatchAsync(context.Principal!, context.HttpContext.RequestAborted);
        signIn.Metrics.SignIn("oidc", principal is not null ? "succeeded" : refusal == "/unauthorised" ? "unauthorised" : "refused");
        if (principal is null)
        {
            context.HandleResponse();
            context.Response.Redirect(refusal!);
            return;
        }

        context.Principal = principal;
    }

    /// <summary>The session principal of the matched user, or the page to send the person to.</summary>
    public async Task<(ClaimsPrincipal? Principal, string? Refusal)> MatchAsync(ClaimsPrincipal external, CancellationToken ct)
    {
        var subject = external.FindFirstValue("sub") ?? external.FindFirstValue(ClaimTypes.NameIdentifier);
        var email = (external.FindFirstValue("email") ?? external.FindFirstValue(ClaimTypes.Email))?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(subject))
        {
            return (null, "/sign-in/user-not-found");
        }

        return await transactions.RunAsync(AccessModule.Schema, async tx =>
        {
            var user = await tx.Connection!.QuerySingleOrDefaultAsync<User>(new CommandDefinition(
                $"SELECT {User.Columns} FROM access.users WHERE lower(oidc_subject) = lower(@subject) AND deleted_at IS NULL FOR UPDATE",
                new { subject }, tx, cancellationToken: ct));
            if (user is null && email is not null)
            {
                user = await tx.Connection!.QuerySingleOrDefaultAsync<User>(new CommandDefinition(
                    $"SELECT {User.Columns} FROM access.users WHERE lower(email) = @email AND deleted_at IS NULL FOR UPDATE",
                    new { email }, tx, cancellationToken: ct));
                if (user?.OidcSubject is { } bound)
                {
                    logger.LogWarning("Sign-in refused: the account {UserId} is bound to another subject than the one signing in", user.Id);
                    return ((ClaimsPrincipal?)null, (string?)"/sign-in/user-not-found");
                }
            }

            if (user is null)
            {
                logger.LogInformation("Sign-in refused: no account for the person signing in");
                return (null, "/sign-in/user-not-found");
            }

            if (!user.Active)
            {
                return (null, "/unauthorised");
            }

            var now = clock.UtcNowForDatabase();
            if (email is not null && email != user.Email && await tx.Connection!.ExecuteScalarAsync<bool>(new CommandDefinition(
                    "SELECT EXISTS (SELECT 1 FROM access.users WHERE lower(email) = @email AND id <> @Id AND deleted_at IS NULL)", new { email, user.Id }, tx, cancellationToken: ct)))
            {
                logger.LogWarning("The identity provider's email of user {UserId} is another account's: their email is left as it was", user.Id);
                email = null;
            }

            var updated = user with
            {
                OidcSubject = subject,
                FirstName = NonBlank(external.FindFirstValue("given_name") ?? external.FindFirstValue(ClaimTypes.GivenName)) ?? user.FirstName,
                LastName = NonBlank(external.FindFirstValue("family_name") ?? external.FindFirstValue(ClaimTypes.Surname)) ?? user.LastName,
                Email = email ?? user.Email,
                UpdatedAt = now,
            };
            await tx.Connection!.ExecuteAsync(new CommandDefinition(
                "UPDATE access.users SET oidc_subject = @OidcSubject, first_name = @FirstName, last_name = @LastName, email = @Email, updated_at = @UpdatedAt WHERE id = @Id",
                updated, tx, cancellationToken: ct));
            if (updated.Fields() != user.Fields())
            {
                await Outbox.EnqueueAsync(tx, AccessModule.Schema, updated.Changed(RecordActions.Updated, Actor.User(user.Id, updated.Name), now, user), ct);
            }

            return (await sessions.StartAsync(updated, "oidc", tx, ct), null);
        }, ct);
    }

    private static string? NonBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
