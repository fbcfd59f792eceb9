using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web.Layout;

namespace Register.BuildingBlocks.Web;

/// <summary>
/// How a page slice answers: <see cref="Show{TPage}"/> renders its Razor component (with the request's
/// <see cref="WebContext"/>), <see cref="Redirect"/> ends a POST (POST-redirect-GET), optionally with a flash
/// message, and <see cref="Problem(ApiErrorResult)"/> turns a refusal of the shared rules into its error page.
/// </summary>
public static class Pages
{
    private const string FlashCookie = "register_flash";

    /// <summary>Renders <typeparamref name="TPage"/> with its <c>Model</c> parameter set to <paramref name="model"/>.</summary>
    public static IResult Show<TPage>(HttpContext http, object? model = null, int statusCode = StatusCodes.Status200OK)
        where TPage : IComponent
    {
        var parameters = new Dictionary<string, object?>();
        if (model is not null)
        {
            parameters["Model"] = model;
        }

        return new RazorComponentResult<PageHost>(new Dictionary<string, object?>
        {
            [nameof(PageHost.Page)] = typeof(TPage),
            [nameof(PageHost.Parameters)] = parameters,
            [nameof(PageHost.Context)] = ContextOf(http),
        })
        {
            StatusCode = statusCode,
            ContentType = "text/html; charset=utf-8",
        };
    }

    /// <summary>Renders a form again with what was sent and the errors found (422).</summary>
    public static IResult Invalid<TPage>(HttpContext http, object model)
        where TPage : IComponent =>
        Show<TPage>(http, model, StatusCodes.Status422UnprocessableEntity);

    /// <summary>303 to <paramref name="url"/>, showing <paramref name="flash"/> on the page it lands on.</summary>
    public static IResult Redirect(string url, Flash? flash = null) => new RedirectWithFlash(url, flash);

    /// <summary>303 to <paramref name="url"/> with a success banner saying <paramref name="message"/>.</summary>
    public static IResult Redirect(string url, string message) => new RedirectWithFlash(url, new Flash(message));

    /// <summary>The error page for a refusal the shared rules gave (404, 409, ...).</summary>
    public static IResult Problem(ApiErrorResult error) =>
        new ErrorPageResult(error.StatusCode, error.Errors.Count > 0 ? error.Errors[0].Message : null);

    /// <summary>The error page for <paramref name="statusCode"/>, with an optional message of the page's own.</summary>
    public static IResult Problem(int statusCode, string? message = null) => new ErrorPageResult(statusCode, message);

    public static IResult NotFound() => new ErrorPageResult(StatusCodes.Status404NotFound, null);

    public static IResult Forbidden() => new ErrorPageResult(StatusCodes.Status403Forbidden, null);

    /// <summary>The context every page and component of this request shares.</summary>
    public static WebContext ContextOf(HttpContext http)
    {
        if (http.Items[typeof(WebContext)] is WebContext known)
        {
            return known;
        }

        var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
        AntiforgeryTokenSet? tokens;
        try
        {
            tokens = antiforgery.GetAndStoreTokens(http);
        }
        catch (System.Security.Cryptography.CryptographicException ex) when (Database.DatabaseOutage.IsOutage(ex))
        {
            // The data protection keys live in the database: when it is down before they were first read, pages (the 503
            // page) are shown without a form token; a form sent from one is refused, as any form is during an outage.
            tokens = null;
        }

        var context = new WebContext(
            SignedInUser.From(http.User), http.Request.PathBase + http.Request.Path, http.Request.QueryString.Value ?? "",
            tokens?.FormFieldName ?? "authenticity_token", tokens?.RequestToken ?? "", TakeFlash(http));
        http.Items[typeof(WebContext)] = context;
        return context;
    }

    private static Flash? TakeFlash(HttpContext http)
    {
        if (!http.Request.Cookies.TryGetValue(FlashCookie, out var value))
        {
            return null;
        }

        http.Response.Cookies.Delete(FlashCookie);
        try
        {
            return JsonSerializer.Deserialize<Flash>(Encoding.UTF8.GetString(Convert.FromBase64String(value)));
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }

    private sealed class RedirectWithFlash(string url, Flash? flash) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (flash is not null)
            {
                httpContext.Response.Cookies.Append(FlashCookie, Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(flash)), new CookieOptions
                {
                    HttpOnly = true,
                    IsEssential = true,
                    SameSite = SameSiteMode.Lax,
                    Secure = httpContext.Request.IsHttps || httpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<WebOptions>>().Value.SecureCookies == true,
                    Path = "/",
                });
            }

            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = url;
            return Task.CompletedTask;
        }
    }
}
