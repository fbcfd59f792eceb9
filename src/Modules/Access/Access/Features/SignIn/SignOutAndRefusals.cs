using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Layout;

namespace Register.Access.Features.SignIn;

/// <summary>
/// <c>POST /sign-out</c> (the navigation's "Sign out" is a form) ends the session, server-side too, and goes back to
/// sign-in; <c>GET /sign-out</c> asks first. <c>/sign-in/user-not-found</c> ("Ask for an account") and <c>/unauthorised</c>
/// (an inactive account) are where a refused sign-in lands.
/// </summary>
internal static class SignOutAndRefusals
{
    public static void Map(RouteGroupBuilder web)
    {
        web.MapGet("/sign-out", (HttpContext http) => http.User.Identity?.IsAuthenticated == true
            ? Pages.Show<ConfirmPage>(http, new ConfirmPage.PageModel("Sign out", "Your account", "Sign out of Register of training providers", "/sign-out", "Sign out", "/")
            {
                Destructive = false,
            })
            : Pages.Redirect("/sign-in"));
        web.MapPost("/sign-out", async (HttpContext http, UserSessions sessions) =>
        {
            await sessions.SignOutAsync(http);
            return Pages.Redirect("/sign-in", "You have signed out");
        });
        web.MapGet("/sign-in/user-not-found", (HttpContext http) => Pages.Show<UserNotFoundPage>(http));
        web.MapGet("/unauthorised", (HttpContext http) => Pages.Show<UnauthorisedPage>(http, null, StatusCodes.Status403Forbidden));
    }
}
