using Carter;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;

namespace Register.Partnerships;

/// <summary>The Partnerships module's endpoints: its table of contents, one line a slice.</summary>
public sealed class PartnershipsEndpoints : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var leadProviderApi = app.MapApi("/api/v3", ApiDefinition.LeadProvider).WithTags("Lead provider API");
        leadProviderApi.MapNotFoundFallback("Nothing could be found for the provided details");
    }
}
