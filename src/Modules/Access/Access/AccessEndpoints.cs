using Carter;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.Access.Features.ApiClients;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;

namespace Register.Access;

/// <summary>The Access module's endpoints: its table of contents, one line a slice.</summary>
public sealed class AccessEndpoints : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var support = app.MapApi(ApiDefinition.Support).WithTags("API clients");
        ListApiClients.Map(support);
        GetApiClient.Map(support);
        CreateApiClient.Map(support);
        RenameApiClient.Map(support);
        RevokeApiClient.Map(support);
        DeleteApiClient.Map(support);
    }
}
