using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Npgsql;
using Register.Access.Features.Users;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Telemetry;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Forms;

namespace Register.Access.Features.SignIn;

/// <summary>
/// <c>GET /sign-in</c>: the identity provider's button and/or Register's own email-and-password form.
/// <c>POST /sign-in</c>: checks the password (five wrong in a row lock the account for 15 minutes; 20 tries in 5 minutes
/// per address), starts a session and returns to the page asked for. <c>POST /sign-in/provider</c> goes to the identity provider.
/// </summary>
public sealed partial class SignInPage
{
    private const string IdentityProviderPath = "provider";

    public sealed record PageModel(FormState Form, bool LocalSignIn, string? IdentityProvider, string ReturnQuery, bool Failed);

    [Parameter, EditorRequired] public PageModel Model { get; set; } = default!;

    internal static void Map(RouteGroupBuilder web)
    {
        web.MapGet("/sign-in", (HttpContext http, string? return_url, string? failed, IOptions<SignInOptions> options) =>
            SignedInUser.From(http.User) is not null
                ? Results.Redirect(SafeReturn(return_url) ?? Landing.For(http))
                : Show(http, options.Value, FormState.Empty, return_url, failed == "true"));

        web.MapPost("/sign-in", SignInAsync);

        web.MapPost($"/sign-in/{IdentityProviderPath}", (HttpContext http, string? return_url, IOptions<SignInOptions> options) =>
            options.Value.UsesIdentityProvider
                ? Results.Challenge(new AuthenticationProperties { RedirectUri = SafeReturn(return_url) ?? "/" }, [OpenIdConnectSignIn.Scheme])
                : Pages.NotFound());
    }

    /// <summary>
    /// A return address on this site only: a path such as <c>/providers?page=2</c>, never <c>//elsewhere</c>, <c>/\elsewhere</c>
    /// or a path with spaces or control characters (browsers drop tabs and new lines, so <c>/%09/elsewhere</c> is <c>//elsewhere</c>).
    /// </summary>
    internal static string? SafeReturn(string? url) =>
        url is { Length: > 1 } && url[0] == '/' && url[1] is not ('/' or '\\') && !url.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)) ? url : null;

    private static IResult Show(HttpContext http, SignInOptions options, FormState form, string? returnUrl, bool failed = false, int status = 200) =>
        Pages.Show<SignInPage>(http, new PageModel(
            form, options.LocalSignInEnabled, options.UsesIdentityProvider ? options.OpenIdConnect.DisplayName : null,
            SafeReturn(returnUrl) is { } back ? "?return_url=" + Uri.EscapeDataString(back) : "", failed), status);

    private static async Task<IResult> SignInAsync(
        HttpContext http, IFormCollection form, string? return_url, IOptions<SignInOptions> options, NpgsqlDataSource db, Passwords passwords,
        UserSessions sessions, ActionLimits limits, TimeProvider clock, RegisterMetrics metrics)
    {
        var settings = options.Value;
        if (!settings.LocalSignInEnabled)
        {
            return Pages.NotFound();
        }

        if (!limits.TryTake(ActionLimits.SignIn, http.Connection.RemoteIpAddress?.ToString() ?? "unknown", out var retryAfter))
        {
            return ActionLimits.TooMany(http, retryAfter);
        }

        var email = form["email"].ToString().Trim();
        var password = form["password"].ToString();
        var kept = FormState.Of([new("email", email)]);
        if (email.Length == 0 || password.Length == 0)
        {
            var missing = new List<ApiError>();
            if (email.Length == 0)
            {
                missing.Add(new ApiError("email", "Enter your email address"));
            }

            if (password.Length == 0)
            {
                missing.Add(new ApiError("password", "Enter your password"));
            }

            return Show(http, settings, kept.WithErrors(missing), return_url, status: StatusCodes.Status422UnprocessableEntity);
        }

        await using var connection = await db.OpenConnectionAsync(http.RequestAborted);
        var account = await connection.QuerySingleOrDefaultAsync<Account>(new CommandDefinition(
            "SELECT id, password_hash, locked_until FROM access.users WHERE lower(email) = lower(@email) AND deleted_at IS NULL",
            new { email }, cancellationToken: http.RequestAborted));
        var now = clock.GetUtcNow();
        // Every refusal reads the same and takes as long (the password is checked, against a decoy for unknown addresses),
        // so the page tells nobody whether an account exists or is locked.
        var correct = passwords.Verify(password, account?.PasswordHash);
        if (account is null || account.LockedUntil > now || !correct)
        {
            if (account is not null && !correct)
            {
                await FailedAttempts.CountAsync(connection, account.Id, settings, now, http.RequestAborted);
            }

            metrics.SignIn("password", "refused");

            return Show(http, settings, kept.WithErrors([new ApiError("email", FailedAttempts.Message(settings))]), return_url, status: StatusCodes.Status422UnprocessableEntity);
        }

        var user = await User.FindAsync(connection, account!.Id, null, http.RequestAborted);
        if (user is not { Active: true })
        {
            metrics.SignIn("password", "unauthorised");
            return Pages.Redirect("/unauthorised");
        }

        await sessions.SignInAsync(http, user, "password");
        metrics.SignIn("password", "succeeded");
        return Pages.Redirect(SafeReturn(return_url) ?? (user.IsProviderUser ? "/trainees" : user.IsApiUser ? "/api-clients" : "/providers"));
    }

    private sealed record Account
    {
        public Guid Id { get; init; }

        public string? PasswordHash { get; init; }

        public DateTimeOffset? LockedUntil { get; init; }
    }
}
