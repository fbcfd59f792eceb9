using Carter;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;
using Register.Partnerships.Features.ProviderPartnerships;

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
        var support = app.MapApi(ApiDefinition.Support).WithTags("Provider partnerships");
        ListProviderPartnerships.Map(support);
        GetPartnership.Map(support);
        CreatePartnership.Map(support);
        UpdatePartnership.Map(support);
        DeletePartnership.Map(support);
    }
}
