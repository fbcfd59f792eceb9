using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Npgsql;
using Register.Access.Tokens;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Telemetry;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Forms;

namespace Register.Access.Features.SignIn;

/// <summary>
/// <c>/sign-in/link?token=…</c>: a one-time link a support user (or the command line) made. The person sets their
/// password, is signed in (their other sessions end), and the link is spent. A used, expired or replaced link answers 410.
/// </summary>
public sealed partial class SignInLinkPage
{
    public sealed record PageModel(bool Valid, string Name, string Email, FormState Form, string Token = "");

    [Parameter, EditorRequired] public PageModel Model { get; set; } = default!;

    internal static void Map(RouteGroupBuilder web)
    {
        web.MapGet(SignInLinks.Path, async (string? token, HttpContext http, NpgsqlDataSource db, TokenHasher hasher, TimeProvider clock, IOptions<SignInOptions> options) =>
        {
            if (!options.Value.LocalSignInEnabled)
            {
                return Pages.NotFound();
            }

            await using var connection = await db.OpenConnectionAsync(http.RequestAborted);
            var user = string.IsNullOrEmpty(token) ? null : await SignInLinks.FindUserAsync(connection, hasher, token, clock, null, http.RequestAborted);
            return user is null
                ? Pages.Show<SignInLinkPage>(http, new PageModel(false, "", "", FormState.Empty), StatusCodes.Status410Gone)
                : Pages.Show<SignInLinkPage>(http, new PageModel(true, user.Name, user.Email, FormState.Empty, token!));
        });

        web.MapPost(SignInLinks.Path, async (
            HttpContext http, IFormCollection form, TransactionRunner transactions, TokenHasher hasher, Passwords passwords, UserSessions sessions,
            TimeProvider clock, IOptions<SignInOptions> options, RegisterMetrics metrics) =>
        {
            if (!options.Value.LocalSignInEnabled)
            {
                return Pages.NotFound();
            }

            var token = form["token"].ToString();
            var signedIn = false;
            var result = await transactions.RunAsync<IResult>(AccessModule.Schema, async tx =>
            {
                var user = token.Length == 0 ? null : await SignInLinks.FindUserAsync(tx.Connection!, hasher, token, clock, tx, http.RequestAborted);
                if (user is null)
                {
                    return Pages.Show<SignInLinkPage>(http, new PageModel(false, "", "", FormState.Empty), StatusCodes.Status410Gone);
                }

                var password = form["password"].ToString();
                if (Passwords.Problem(password, form["password_confirmation"].ToString(), user.Email) is { } problem)
                {
                    return Pages.Invalid<SignInLinkPage>(http, new PageModel(true, user.Name, user.Email, FormState.Empty.WithErrors([new ApiError(problem.Field, problem.Message)]), token));
                }

                // A new password ends every session the person had (a link may be how a lost password is replaced).
                await tx.Connection!.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE access.users SET password_hash = @hash WHERE id = @Id;
                    UPDATE access.user_sessions SET ended_at = @now WHERE user_id = @Id AND ended_at IS NULL;
                    """,
                    new { hash = passwords.Hash(password), user.Id, now = clock.GetUtcNow() }, tx, cancellationToken: http.RequestAborted));
                await SignInLinks.UseAsync(tx, hasher, token, clock, http.RequestAborted);
                await sessions.SignInAsync(http, user, "link", tx);
                signedIn = true;
                return Pages.Redirect(user.IsProviderUser ? "/trainees" : user.IsApiUser ? "/api-clients" : "/providers", new Flash("Your password is set", "You are signed in. Next time, sign in with your email address and this password."));
            }, http.RequestAborted);
            if (signedIn)
            {
                metrics.SignIn("link", "succeeded");
            }

            return result;
        });
    }
}
