using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Npgsql;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Layout;

namespace Register.Access.Features.Users;

/// <summary>
/// <c>/users/{id}/delete</c>: "Confirm you want to delete {name}", then <see cref="DeleteUser"/>: not oneself or a system
/// admin (403), the minimum of active users (409), at most three deletions in three minutes (429).
/// </summary>
internal static class DeleteUserPage
{
    public static void Map(RouteGroupBuilder web)
    {
        web.MapGet("/users/{id:guid}/delete", async (Guid id, HttpContext http, NpgsqlDataSource db) =>
        {
            await using var connection = await db.OpenConnectionAsync(http.RequestAborted);
            var user = await User.FindSupportAsync(connection, id, null, http.RequestAborted);
            if (user is null)
            {
                return Pages.NotFound();
            }

            if (UpdateUser.Forbidden(user, http.SignedInUser().Id) is { } forbidden)
            {
                return Pages.Problem(forbidden);
            }

            return Pages.Show<ConfirmPage>(http, new ConfirmPage.PageModel(
                "Confirm you want to delete user", "Delete user", $"Confirm you want to delete {user.Name}", $"/users/{id}/delete", "Delete user", $"/users/{id}")
            {
                Paragraphs = ["Their sessions end at once, and the API clients they created are revoked and deleted."],
                Warning = "Deleting a user is permanent – you cannot undo it.",
            });
        });

        web.MapPost("/users/{id:guid}/delete", async (Guid id, HttpContext http, TransactionRunner transactions, IOptions<UserOptions> options, TimeProvider clock) =>
        {
            var actor = http.SignedInUser();
            var outcome = await DeleteUser.RunAsync(transactions, options.Value, id, null, actor.Actor, actor.Id, clock, http.RequestAborted);
            return outcome.Succeeded ? Pages.Redirect("/users", "User deleted") : Pages.Problem(outcome.Error!);
        }).Destructive();
    }
}
