using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;

namespace Register.BuildingBlocks.Web;

public static class WebGroups
{
    /// <summary>
    /// The route group of pages for people with <paramref name="policy"/> (<c>WebPolicies</c>): signed out, they are
    /// sent to sign in; signed in without the role, they get the 403 page. Every POST must carry the form's
    /// anti-forgery token, or it gets the 400 page and changes nothing. Pages are not in the OpenAPI documents.
    /// </summary>
    public static RouteGroupBuilder MapWeb(this IEndpointRouteBuilder routes, string policy) =>
        routes.MapGroup("").RequireAuthorization(policy).WebPages();

    /// <summary>Pages anyone may see: sign-in and the pages around it. A signed-in person is still known there (for the navigation).</summary>
    public static RouteGroupBuilder MapPublicWeb(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").AllowAnonymous();
        group.AddEndpointFilter(async (context, next) =>
        {
            var authentication = await context.HttpContext.AuthenticateAsync(WebPolicies.Scheme);
            if (authentication.Succeeded)
            {
                context.HttpContext.User = authentication.Principal;
            }

            return await next(context);
        });
        return group.WebPages();
    }

    /// <summary>A destructive action (archive or delete a provider, delete a user): at most three in three minutes per person.</summary>
    public static RouteHandlerBuilder Destructive(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (HttpMethods.IsPost(http.Request.Method)
                && !http.RequestServices.GetRequiredService<ActionLimits>().TryTake(ActionLimits.Destructive, http.SignedInUser().Id.ToString(), out var retryAfter))
            {
                return ActionLimits.TooMany(http, retryAfter);
            }

            return await next(context);
        });

    private static RouteGroupBuilder WebPages(this RouteGroupBuilder group)
    {
        group.WithMetadata(WebPageMetadata.Instance).ExcludeFromDescription().DisableAntiforgery();
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method)
                && !await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
            {
                return Pages.Problem(StatusCodes.Status400BadRequest);
            }

            return await next(context);
        });
        return group;
    }
}
