using Carter;
using Microsoft.AspNetCore.Routing;

namespace Register.Partnerships;

/// <summary>
/// The Partnerships module's endpoints: its table of contents, one line a slice. The lead provider API
/// (<c>ApiDefinition.LeadProvider</c>, under <c>/api/v3</c>) has no slice yet; until it has, every path under
/// it answers the reference's 401 or 404 bodies through <c>ApiGroups.WriteUnmatchedAsync</c>.
/// </summary>
public sealed class PartnershipsEndpoints : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
    }
}
