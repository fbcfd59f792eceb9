using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Register.Access.Features.SignIn;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;

namespace Register.Access.Features.Account;

/// <summary><c>GET /account</c>: the signed-in person's names, email and role.</summary>
public sealed partial class AccountPage
{
    public sealed record PageModel(string FirstName, string LastName, string Email, string Role, bool CanChangePassword);

    [Parameter, EditorRequired] public PageModel Model { get; set; } = default!;

    internal static void Map(RouteGroupBuilder web) =>
        web.MapGet("/account", (HttpContext http, IOptions<SignInOptions> options) =>
        {
            var user = http.SignedInUser();
            var role = user.IsApiUser ? "API user" : user.SystemAdmin ? "Support user (system admin)" : "Support user";
            return Pages.Show<AccountPage>(http, new PageModel(user.FirstName, user.LastName, user.Email, role, options.Value.LocalSignInEnabled));
        });
}
