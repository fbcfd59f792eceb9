using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.Access.Features.Users;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Forms;

namespace Register.Access.Features.ProviderUsers;

/// <summary>
/// <c>/providers/{id}/users/new</c>: "Invite user" (first name, last name, email; any address, unique across every account).
/// Saved by <see cref="CreateUser"/> as an active provider user of the provider, and, in the same transaction, their
/// invitation email written to the outbox (<see cref="Invitations"/>). Not for an archived provider (409).
/// </summary>
public sealed partial class InviteProviderUserPage
{
    public sealed record PageModel(Guid ProviderId, string ProviderName, FormState Form);

    [Parameter, EditorRequired] public PageModel Model { get; set; } = default!;

    internal static void Map(RouteGroupBuilder web)
    {
        web.MapGet("/providers/{providerId:guid}/users/new", async (Guid providerId, HttpContext http, ISender sender) =>
        {
            var (provider, refusal) = await ProviderUserPages.ProviderAsync(sender, providerId, toInvite: true, http.RequestAborted);
            return provider is null ? refusal! : Pages.Show<InviteProviderUserPage>(http, new PageModel(provider.Id, provider.OperatingName, FormState.Empty));
        });

        web.MapPost("/providers/{providerId:guid}/users/new", async (
            Guid providerId, HttpContext http, IFormCollection form, ISender sender, TransactionRunner transactions, UserDraftValidator validator, Invitations invitations,
            TimeProvider clock) =>
        {
            var (provider, refusal) = await ProviderUserPages.ProviderAsync(sender, providerId, toInvite: true, http.RequestAborted);
            if (provider is null)
            {
                return refusal!;
            }

            var actor = http.SignedInUser();
            var draft = new UserDraft(form["first_name"], form["last_name"], form["email"], ApiUser: false, Active: true, ProviderId: provider.Id);
            var outcome = await CreateUser.RunAsync(transactions, validator, draft, systemAdmin: false, actor.Actor, clock, http.RequestAborted,
                async (tx, user) => await invitations.EnqueueAsync(tx, user, provider.OperatingName, Invitations.Key(user.Id), actor.Name, http.RequestAborted));
            if (outcome.IsInvalid)
            {
                return Pages.Invalid<InviteProviderUserPage>(http, new PageModel(provider.Id, provider.OperatingName, FormState.From(form, outcome.Errors)));
            }

            if (!outcome.Succeeded)
            {
                return Pages.Problem(outcome.Error!);
            }

            invitations.Wake();
            return Pages.Redirect(ProviderUserPages.ListPath(provider.Id), "User invited");
        });
    }
}
