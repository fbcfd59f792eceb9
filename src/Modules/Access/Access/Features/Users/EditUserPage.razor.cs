using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Npgsql;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Forms;
using Register.BuildingBlocks.Web.Layout;

namespace Register.Access.Features.Users;

/// <summary>
/// "Change user": <c>/users/{id}/edit</c> → <c>/users/{id}/check</c> → saved by <see cref="UpdateUser"/> (the same rules:
/// not oneself or a system admin, names fixed after the first sign-in, the minimum of active users).
/// </summary>
public sealed partial class EditUserPage
{
    public sealed record PageModel(Guid Id, string Name, bool NamesLocked, FormState Form, string EmailHint);

    [Parameter, EditorRequired] public PageModel Model { get; set; } = default!;

    private static string Journey(Guid id) => $"users/{id}/edit";

    internal static bool ChangingAnswer(HttpContext http) => http.Request.Query["change"] == "true";

    internal static void Map(RouteGroupBuilder web)
    {
        web.MapGet("/users/{id:guid}/edit", async (Guid id, HttpContext http, NpgsqlDataSource db, Drafts drafts, IOptions<UserOptions> options) =>
        {
            var (user, refusal) = await ChangeableAsync(db, id, http);
            if (user is null)
            {
                return refusal!;
            }

            // A Change link from the check page comes back to the answers; anything else starts from the user as they are.
            var draft = (ChangingAnswer(http) ? await drafts.LoadAsync<UserDraft>(http, Journey(id)) : null)
                ?? new UserDraft(user.FirstName, user.LastName, user.Email, user.IsApiUser, user.Active);
            return Pages.Show<EditUserPage>(http, new PageModel(id, user.Name, user.HasSignedIn, UserForms.State(draft), UserForms.EmailHint(options)));
        });

        web.MapPost("/users/{id:guid}/edit", async (Guid id, HttpContext http, IFormCollection form, NpgsqlDataSource db, Drafts drafts, UserDraftValidator validator, IOptions<UserOptions> options) =>
        {
            var (user, refusal) = await ChangeableAsync(db, id, http);
            if (user is null)
            {
                return refusal!;
            }

            var sent = UserForms.Read(form, withActive: true);
            var draft = (user.HasSignedIn ? sent with { FirstName = user.FirstName, LastName = user.LastName, Email = user.Email } : sent).Normalised();
            await using var connection = await db.OpenConnectionAsync(http.RequestAborted);
            var errors = await CreateUser.ErrorsAsync(connection, validator, draft, id, null, http.RequestAborted);
            if (errors.Count > 0)
            {
                return Pages.Invalid<EditUserPage>(http, new PageModel(id, user.Name, user.HasSignedIn, UserForms.State(draft).WithErrors(errors), UserForms.EmailHint(options)));
            }

            await drafts.SaveAsync(http, Journey(id), draft);
            return Pages.Redirect($"/users/{id}/check");
        });

        web.MapGet("/users/{id:guid}/check", async (Guid id, HttpContext http, NpgsqlDataSource db, Drafts drafts) =>
        {
            var (user, refusal) = await ChangeableAsync(db, id, http);
            if (user is null)
            {
                return refusal!;
            }

            return await drafts.LoadAsync<UserDraft>(http, Journey(id)) is { } draft ? Check(http, user, draft) : Pages.Redirect($"/users/{id}/edit");
        });

        web.MapPost("/users/{id:guid}/check", async (
            Guid id, HttpContext http, NpgsqlDataSource db, Drafts drafts, TransactionRunner transactions, UserDraftValidator validator, IOptions<UserOptions> options, TimeProvider clock) =>
        {
            if (await drafts.LoadAsync<UserDraft>(http, Journey(id)) is not { } draft)
            {
                return Pages.Redirect($"/users/{id}/edit");
            }

            var actor = http.SignedInUser();
            var outcome = await UpdateUser.RunAsync(transactions, validator, options.Value, id,
                new UpdateUser.UpdateUserRequest(draft.FirstName, draft.LastName, draft.Email, draft.ApiUser, draft.Active), actor.Actor, actor.Id, clock, http.RequestAborted);
            return await drafts.FinishAsync(http, Journey(id), outcome,
                async errors =>
                {
                    var (user, refusal) = await ChangeableAsync(db, id, http);
                    return user is null ? refusal! : Check(http, user, draft, errors);
                },
                _ => Pages.Redirect("/users", "User updated"));
        });
    }

    /// <summary>The user, if it exists and the signed-in person may change it; else the 404 or 403 page.</summary>
    private static async Task<(User? User, IResult? Refusal)> ChangeableAsync(NpgsqlDataSource db, Guid id, HttpContext http)
    {
        await using var connection = await db.OpenConnectionAsync(http.RequestAborted);
        var user = await User.FindSupportAsync(connection, id, null, http.RequestAborted);
        return user is null ? (null, Pages.NotFound())
            : UpdateUser.Forbidden(user, http.SignedInUser().Id) is { } forbidden ? (null, Pages.Problem(forbidden))
            : (user, null);
    }

    private static IResult Check(HttpContext http, User user, UserDraft draft, IReadOnlyList<ApiError>? errors = null) =>
        CheckAnswersPage.Show(http, new CheckAnswersPage.PageModel(
            $"User - {user.Name}", "Change user", [new AnswerSection(null, UserForms.Rows(draft, $"/users/{user.Id}/edit?change=true", withActive: true, namesLocked: user.HasSignedIn))],
            $"/users/{user.Id}/check", "Save user", $"/users/{user.Id}", $"/users/{user.Id}/edit")
        {
            Errors = errors,
            StepOf = _ => $"/users/{user.Id}/edit?change=true",
        });
}
