using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Register.BuildingBlocks.Security;

namespace Register.BuildingBlocks.Http;

public static class ApiGroups
{
    /// <summary>
    /// The route group of one API: every endpoint in it needs a token of the API's audience, is rate
    /// limited per token and per IP, answers errors in the API's envelope and is described in the API's
    /// OpenAPI document.
    /// </summary>
    public static RouteGroupBuilder MapApi(this IEndpointRouteBuilder routes, ApiDefinition api) =>
        routes.MapGroup(api.PathPrefix)
            .RequireAuthorization(api.Audience)
            .RequireRateLimiting(api.Audience)
            .WithGroupName(api.OpenApiDocument)
            .WithMetadata(
                api.ErrorStyle,
                new ProducesResponseTypeMetadata(StatusCodes.Status401Unauthorized),
                new ProducesResponseTypeMetadata(StatusCodes.Status429TooManyRequests));

    /// <summary>
    /// The answer to a request that matched no endpoint: under an API's path, that API's 401 when the
    /// token does not open it (as the reference services authenticate before their catch-all), else its
    /// 404; elsewhere a plain error in Register's envelope. 405 and 415 keep their status.
    /// </summary>
    public static async Task WriteUnmatchedAsync(HttpContext context)
    {
        var status = context.Response.StatusCode;
        var api = ApiDefinition.ForPath(context.Request.Path);
        if (api is null)
        {
            await ApiErrors.WriteAsync(context, status, [new ApiError(null, ReasonPhrases.GetReasonPhrase(status))]);
            return;
        }

        var authentication = await context.AuthenticateAsync(api.Audience);
        if (!authentication.Succeeded)
        {
            await ApiErrors.WriteUnauthorizedAsync(context, api.ErrorStyle);
            return;
        }

        var message = status switch
        {
            StatusCodes.Status404NotFound => api.ErrorStyle.NotFoundMessage,
            StatusCodes.Status415UnsupportedMediaType => InputHygiene.UnsupportedMediaTypeMessage(AcceptedContentTypes(context)),
            _ => ReasonPhrases.GetReasonPhrase(status),
        };
        await ApiErrors.WriteAsync(context, status, [new ApiError(null, message)], api.ErrorStyle);
    }

    /// <summary>
    /// What the endpoint at this path and method takes, when routing refused the request's content type (the 415 it
    /// answers has no endpoint of its own to ask).
    /// </summary>
    private static IReadOnlyList<string> AcceptedContentTypes(HttpContext context)
    {
        var path = context.Request.Path;
        var method = context.Request.Method;
        return context.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(method, StringComparer.OrdinalIgnoreCase) != false)
            .Where(e => new TemplateMatcher(new RouteTemplate(e.RoutePattern), new RouteValueDictionary()).TryMatch(path, new RouteValueDictionary()))
            .Select(e => e.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes)
            .FirstOrDefault(types => types is { Count: > 0 }) ?? ["application/json"];
    }
}
