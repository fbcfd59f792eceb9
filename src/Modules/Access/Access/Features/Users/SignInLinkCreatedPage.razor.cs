using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Register.Access.Features.SignIn;
using Register.BuildingBlocks.Web;

namespace Register.Access.Features.Users;

/// <summary>The answer to adding a user or asking for a new sign-in link: the link, shown this once (never stored, only its hash).</summary>
public sealed partial class SignInLinkCreatedPage
{
    public sealed record PageModel(Guid Id, string Name, string Email, string Link, string ExpiresOn, bool Added);

    [Parameter, EditorRequired] public PageModel Model { get; set; } = default!;

    internal static IResult Show(HttpContext http, User user, SignInLinks.Link link, bool added)
    {
        // Web:BaseUrl when set (behind a proxy the request's own scheme and host are the proxy's), else this request's.
        var configured = http.RequestServices.GetRequiredService<IConfiguration>()["Web:BaseUrl"];
        var url = (string.IsNullOrWhiteSpace(configured) ? $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}" : configured.TrimEnd('/')) + link.Path;
        return Pages.Show<SignInLinkCreatedPage>(http, new PageModel(user.Id, user.Name, user.Email, url, Formats.DateTime(link.ExpiresAt), added));
    }
}
