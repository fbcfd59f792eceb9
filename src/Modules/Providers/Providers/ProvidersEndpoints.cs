using Carter;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;
using Register.Providers.Features.ProvidersApiInfo;

namespace Register.Providers;

/// <summary>The Providers module's endpoints: its table of contents, one line a slice.</summary>
public sealed class ProvidersEndpoints : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var providersApi = app.MapApi(ApiDefinition.Providers).WithTags("Providers API");
        GetProvidersApiInfo.Map(providersApi);
    }
}
