using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Register.BuildingBlocks.Web;

/// <summary>
/// The headers of every page: a content security policy that allows only Register's own scripts, styles, fonts and
/// images (and the one inline script of the GOV.UK template, by its hash), no framing, no sniffing, and no caching
/// of pages that hold people's and providers' details.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The GOV.UK template's first script: it marks the body so components know JavaScript runs.</summary>
    public const string BodyScript = "document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');";

    private static readonly string BodyScriptHash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(BodyScript)));

    /// <summary>The policy; <paramref name="formTargets"/> are other origins forms may post to (an identity provider's).</summary>
    public static string ContentSecurityPolicy(IEnumerable<string> formTargets) =>
        $"default-src 'self'; script-src 'self' 'sha256-{BodyScriptHash}'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        $"form-action 'self'{string.Concat(formTargets.Select(t => " " + t))}; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    public static void Apply(HttpResponse response, string contentSecurityPolicy)
    {
        response.Headers.ContentSecurityPolicy = contentSecurityPolicy;
        response.Headers.XFrameOptions = "DENY";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }
}
