using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Npgsql;
using Register.Access.Features.SignIn;
using Register.Access.Features.Users;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Outbox;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Layout;

namespace Register.Access.Features.ProviderUsers;

/// <summary>
/// <c>/providers/{id}/users/{userId}/delete</c>: "Are you sure you want to remove {name}?", then <see cref="DeleteUser"/> for a
/// user of that provider (their sessions end and their API clients are revoked and deleted); and
/// <c>POST /providers/{id}/users/{userId}/invitation</c>: a new invitation (a new link, a new email) for a user who has
/// never signed in. A user of another provider is 404, as an unknown one.
/// </summary>
internal static class ProviderUserActions
{
    public static void Map(RouteGroupBuilder web)
    {
        web.MapGet("/providers/{providerId:guid}/users/{userId:guid}/delete", async (Guid providerId, Guid userId, HttpContext http, ISender sender, NpgsqlDataSource db) =>
        {
            var (provider, refusal) = await ProviderUserPages.ProviderAsync(sender, providerId, toInvite: false, http.RequestAborted);
            if (provider is null)
            {
                return refusal!;
            }

            await using var connection = await db.OpenConnectionAsync(http.RequestAborted);
            if (await User.FindOfProviderAsync(connection, providerId, userId, null, http.RequestAborted) is not { } user)
            {
                return Pages.NotFound();
            }

            var list = ProviderUserPages.ListPath(providerId);
            return Pages.Show<ConfirmPage>(http, new ConfirmPage.PageModel(
                $"Are you sure you want to remove {user.Name}? - {provider.OperatingName}", provider.OperatingName, $"Are you sure you want to remove {user.Name}?",
                $"{list}/{userId}/delete", "Remove user", list)
            {
                Rows = [new AnswerRow("Email address", user.Email)],
                Paragraphs = [$"They will no longer be able to sign in to Register for {provider.OperatingName}. Their sessions end at once, and the API tokens they generated are revoked."],
            });
        });

        web.MapPost("/providers/{providerId:guid}/users/{userId:guid}/delete", async (
            Guid providerId, Guid userId, HttpContext http, ISender sender, TransactionRunner transactions, IOptions<UserOptions> options, TimeProvider clock) =>
        {
            var (provider, refusal) = await ProviderUserPages.ProviderAsync(sender, providerId, toInvite: false, http.RequestAborted);
            if (provider is null)
            {
                return refusal!;
            }

            var actor = http.SignedInUser();
            var outcome = await DeleteUser.RunAsync(transactions, options.Value, userId, providerId, actor.Actor, actor.Id, clock, http.RequestAborted);
            return outcome.Succeeded ? Pages.Redirect(ProviderUserPages.ListPath(providerId), "User removed") : Pages.Problem(outcome.Error!);
        }).Destructive();

        web.MapPost("/providers/{providerId:guid}/users/{userId:guid}/invitation", async (
            Guid providerId, Guid userId, HttpContext http, ISender sender, TransactionRunner transactions, Invitations invitations, TimeProvider clock) =>
        {
            var (provider, refusal) = await ProviderUserPages.ProviderAsync(sender, providerId, toInvite: true, http.RequestAborted);
            if (provider is null)
            {
                return refusal!;
            }

            var actor = http.SignedInUser();
            var answer = await transactions.RunAsync(AccessModule.Schema, async tx =>
            {
                if (await User.FindOfProviderAsync(tx.Connection!, providerId, userId, tx, http.RequestAborted) is not { } user)
                {
                    return Pages.NotFound();
                }

                if (user.HasSignedIn || !user.Active)
                {
                    return Pages.Problem(StatusCodes.Status409Conflict, $"{user.Name} has signed in already or is not active, so there is no invitation to resend.");
                }

                var now = clock.UtcNowForDatabase();
                if (await invitations.EnqueueAsync(tx, user, provider.OperatingName, Invitations.ResentKey(user.Id, now), actor.Name, http.RequestAborted))
                {
                    await Outbox.EnqueueAsync(tx, AccessModule.Schema, user.Changed(SignInLinks.Created, actor.Actor, now, user), http.RequestAborted);
                }

                return Pages.Redirect(ProviderUserPages.ListPath(providerId), $"Invitation sent to {user.Email}");
            }, http.RequestAborted);
            invitations.Wake();
            return answer;
        });
    }
}
