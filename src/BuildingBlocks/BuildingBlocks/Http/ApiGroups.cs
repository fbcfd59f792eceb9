using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.BuildingBlocks.Security;

namespace Register.BuildingBlocks.Http;

public static class ApiGroups
{
    /// <summary>
    /// The route group of one API: every endpoint in it needs a token of the API's audience, is rate
    /// limited per token and per IP, answers errors in the API's envelope and is described in the API's
    /// OpenAPI document.
    /// </summary>
    public static RouteGroupBuilder MapApi(this IEndpointRouteBuilder routes, string prefix, ApiDefinition api) =>
        routes.MapGroup(prefix)
            .RequireAuthorization(api.Audience)
            .RequireRateLimiting(api.Audience)
            .WithGroupName(api.OpenApiDocument)
            .WithMetadata(
                api.ErrorStyle,
                new ProducesResponseTypeMetadata(StatusCodes.Status401Unauthorized),
                new ProducesResponseTypeMetadata(StatusCodes.Status429TooManyRequests));

    /// <summary>Answers 404 (in the API's envelope, after authentication) for any other path under the group.</summary>
    public static RouteHandlerBuilder MapNotFoundFallback(this RouteGroupBuilder group, string message = "Not found") =>
        group.Map("{**path}", () => ApiErrors.NotFound(message))
            .ExcludeFromDescription()
            .WithOrder(int.MaxValue);
}
