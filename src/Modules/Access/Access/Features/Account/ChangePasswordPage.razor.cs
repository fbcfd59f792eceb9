using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Npgsql;
using Register.Access.Features.SignIn;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Forms;

namespace Register.Access.Features.Account;

/// <summary><c>/account/password</c>: a new password, given the current one. The person's other sessions end.</summary>
public sealed partial class ChangePasswordPage
{
    public sealed record PageModel(FormState Form);

    [Parameter, EditorRequired] public PageModel Model { get; set; } = default!;

    internal static void Map(RouteGroupBuilder web)
    {
        web.MapGet("/account/password", (HttpContext http, IOptions<SignInOptions> options) =>
            options.Value.LocalSignInEnabled ? Pages.Show<ChangePasswordPage>(http, new PageModel(FormState.Empty)) : Pages.NotFound());

        web.MapPost("/account/password", async (HttpContext http, IFormCollection form, NpgsqlDataSource db, Passwords passwords, IOptions<SignInOptions> options, ActionLimits limits, TimeProvider clock) =>
        {
            if (!options.Value.LocalSignInEnabled)
            {
                return Pages.NotFound();
            }

            var user = http.SignedInUser();
            if (!limits.TryTake(ActionLimits.SignIn, $"password:{user.Id}", out var retryAfter))
            {
                return ActionLimits.TooMany(http, retryAfter);
            }

            await using var connection = await db.OpenConnectionAsync(http.RequestAborted);
            var stored = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
                "SELECT password_hash FROM access.users WHERE id = @Id", new { user.Id }, cancellationToken: http.RequestAborted));
            var password = form["password"].ToString();
            ApiError? error = !passwords.Verify(form["current_password"].ToString(), stored)
                ? new ApiError("current_password", "Enter your current password correctly")
                : Passwords.Problem(password, form["password_confirmation"].ToString(), user.Email) is { } problem ? new ApiError(problem.Field, problem.Message) : null;
            if (error is not null)
            {
                return Pages.Invalid<ChangePasswordPage>(http, new PageModel(FormState.Empty.WithErrors([error])));
            }

            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE access.users SET password_hash = @hash WHERE id = @Id;
                UPDATE access.user_sessions SET ended_at = @now WHERE user_id = @Id AND id <> @SessionId AND ended_at IS NULL;
                """,
                new { hash = passwords.Hash(password), user.Id, user.SessionId, now = clock.GetUtcNow() }, cancellationToken: http.RequestAborted));
            return Pages.Redirect("/account", "Your password has been changed");
        });
    }
}
