using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Npgsql;
using Register.Access.Features.SignIn;
using Register.Access.Tokens;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Forms;
using Register.BuildingBlocks.Web.Layout;

namespace Register.Access.Features.Users;

/// <summary>
/// "Add user": <c>/users/new</c> (names, email, API user?) → <c>/users/new/check</c> → saved by <see cref="CreateUser"/>;
/// the answer shows a one-time link to set a password (Register's own sign-in), once.
/// </summary>
public sealed partial class AddUserPage
{
    private const string Journey = "users/new";

    public sealed record PageModel(FormState Form, string EmailHint);

    [Parameter, EditorRequired] public PageModel Model { get; set; } = default!;

    internal static void Map(RouteGroupBuilder web)
    {
        web.MapGet("/users/new", async (HttpContext http, Drafts drafts, IOptions<UserOptions> options) =>
        {
            var draft = await drafts.LoadAsync<UserDraft>(http, Journey);
            return Pages.Show<AddUserPage>(http, new PageModel(draft is null ? FormState.Empty : UserForms.State(draft), UserForms.EmailHint(options)));
        });

        web.MapPost("/users/new", async (HttpContext http, IFormCollection form, Drafts drafts, NpgsqlDataSource db, UserDraftValidator validator, IOptions<UserOptions> options) =>
        {
            var draft = UserForms.Read(form, withActive: false).Normalised();
            await using var connection = await db.OpenConnectionAsync(http.RequestAborted);
            var errors = await CreateUser.ErrorsAsync(connection, validator, draft, null, null, http.RequestAborted);
            if (errors.Count > 0)
            {
                return Pages.Invalid<AddUserPage>(http, new PageModel(FormState.From(form, errors), UserForms.EmailHint(options)));
            }

            await drafts.SaveAsync(http, Journey, draft);
            return Pages.Redirect("/users/new/check");
        });

        web.MapGet("/users/new/check", async (HttpContext http, Drafts drafts) =>
            await drafts.LoadAsync<UserDraft>(http, Journey) is { } draft ? Check(http, draft) : Pages.Redirect("/users/new"));

        web.MapPost("/users/new/check", async (
            HttpContext http, Drafts drafts, TransactionRunner transactions, UserDraftValidator validator, TokenHasher hasher, IOptions<SignInOptions> signIn, TimeProvider clock) =>
        {
            if (await drafts.LoadAsync<UserDraft>(http, Journey) is not { } draft)
            {
                return Pages.Redirect("/users/new");
            }

            var actor = http.SignedInUser();
            SignInLinks.Link? link = null;
            var outcome = await CreateUser.RunAsync(transactions, validator, draft, systemAdmin: false, actor.Actor, clock, http.RequestAborted, async (tx, user) =>
            {
                if (signIn.Value.LocalSignInEnabled)
                {
                    link = await SignInLinks.CreateAsync(tx, hasher, signIn.Value, user.Id, actor.Name, clock, http.RequestAborted);
                }
            });
            return await drafts.FinishAsync(http, Journey, outcome,
                errors => Check(http, draft, errors),
                created => link is null ? Pages.Redirect("/users", "User added") : SignInLinkCreatedPage.Show(http, created, link, added: true));
        });
    }

    private static IResult Check(HttpContext http, UserDraft draft, IReadOnlyList<BuildingBlocks.Http.ApiError>? errors = null) =>
        CheckAnswersPage.Show(http, new CheckAnswersPage.PageModel(
            "Add user", "Add user", [new AnswerSection(null, UserForms.Rows(draft, "/users/new", withActive: false, namesLocked: false))],
            "/users/new/check", "Save user", "/users", "/users/new")
        { Errors = errors, StepOf = _ => "/users/new" });
}
