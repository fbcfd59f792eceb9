using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Npgsql;
using Register.Access.Features.SignIn;
using Register.Access.Tokens;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Outbox;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Layout;

namespace Register.Access.Features.Users;

/// <summary>
/// <c>GET /users/{id}</c>: a user's details, with Change and Delete for anyone but oneself and system admins, and
/// <c>POST /users/{id}/sign-in-link</c>: a new one-time link, shown once.
/// </summary>
public sealed partial class UserPage
{
    public sealed record PageModel(Guid Id, string Name, bool Active, bool ApiUser, bool SystemAdmin, bool CanChange, bool CanCreateLink, IReadOnlyList<AnswerRow> Rows, string LastSignedIn);

    [Parameter, EditorRequired] public PageModel Model { get; set; } = default!;

    internal static void Map(RouteGroupBuilder web)
    {
        web.MapGet("/users/{id:guid}", async (Guid id, HttpContext http, NpgsqlDataSource db, IOptions<SignInOptions> signIn) =>
        {
            await using var connection = await db.OpenConnectionAsync(http.RequestAborted);
            if (await User.FindSupportAsync(connection, id, null, http.RequestAborted) is not { } user)
            {
                return Pages.NotFound();
            }

            var canChange = UpdateUser.Forbidden(user, http.SignedInUser().Id) is null;
            var draft = new UserDraft(user.FirstName, user.LastName, user.Email, user.IsApiUser, user.Active);
            return Pages.Show<UserPage>(http, new PageModel(
                user.Id, user.Name, user.Active, user.IsApiUser, user.SystemAdmin, canChange, canChange && signIn.Value.LocalSignInEnabled && user.Active,
                UserForms.Rows(draft, canChange ? $"/users/{id}/edit" : null, withActive: true, namesLocked: user.HasSignedIn),
                user.LastSignedInAt is { } at ? $"Last signed in at {Formats.DateTime(at)}" : "User has never signed in"));
        });

        web.MapPost("/users/{id:guid}/sign-in-link", async (Guid id, HttpContext http, TransactionRunner transactions, TokenHasher hasher, IOptions<SignInOptions> signIn, TimeProvider clock) =>
        {
            var actor = http.SignedInUser();
            return await transactions.RunAsync(AccessModule.Schema, async tx =>
            {
                var user = await User.FindSupportAsync(tx.Connection!, id, tx, http.RequestAborted);
                if (user is null)
                {
                    return Pages.NotFound();
                }

                if (UpdateUser.Forbidden(user, actor.Id) is not null || !signIn.Value.LocalSignInEnabled || !user.Active)
                {
                    return Pages.Forbidden();
                }

                var link = await SignInLinks.CreateAsync(tx, hasher, signIn.Value, user.Id, actor.Name, clock, http.RequestAborted);
                await Outbox.EnqueueAsync(tx, AccessModule.Schema, user.Changed(SignInLinks.Created, actor.Actor, clock.UtcNowForDatabase(), user), http.RequestAborted);
                return SignInLinkCreatedPage.Show(http, user, link, added: false);
            }, http.RequestAborted);
        });
    }
}
