using Mediator;
using Microsoft.AspNetCore.Http;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Components;
using Register.Providers.Contracts;

namespace Register.Access.Features.ProviderUsers;

/// <summary>What the provider's Users tab and its pages share: the provider whose tab they are on, and its tabs.</summary>
internal static class ProviderUserPages
{
    public const int PageSize = 25;

    /// <summary>
    /// The provider whose Users tab this is: the 404 page when there is none, and, for an invitation
    /// (<paramref name="toInvite"/>), the 409 page when it is archived (its tabs are read-only until it is restored).
    /// </summary>
    public static async Task<(ProviderHeading? Provider, IResult? Refusal)> ProviderAsync(ISender sender, Guid providerId, bool toInvite, CancellationToken ct)
    {
        var provider = await sender.Send(new GetProviderHeading(providerId), ct);
        return provider switch
        {
            null => (null, Pages.NotFound()),
            { Archived: true } when toInvite => (null, Pages.Problem(StatusCodes.Status409Conflict, $"{provider.OperatingName} is archived, so no one can be invited to it: restore it first.")),
            _ => (provider, null),
        };
    }

    public static IReadOnlyList<SubNavigation.Item> Tabs(Guid providerId) => ProviderTabs.For(providerId).Select(t => new SubNavigation.Item(t.Text, t.Href)).ToList();

    public static string ListPath(Guid providerId) => $"/providers/{providerId}/users";
}
