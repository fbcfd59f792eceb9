using Microsoft.AspNetCore.Http;
using Register.BuildingBlocks.Security;

namespace Register.BuildingBlocks.Http;

/// <summary>Marks an endpoint as a web page: its errors are pages, not JSON.</summary>
public sealed class WebPageMetadata
{
    public static WebPageMetadata Instance { get; } = new();
}

/// <summary>Writes an error page (the web pages' counterpart of an API's error envelope).</summary>
public interface IErrorPageWriter
{
    Task WriteAsync(HttpContext context, int statusCode, string? message = null);
}

public static class WebRequests
{
    private static readonly string[] NotPages = ["/health", "/openapi", "/docs", "/assets", "/support", "/api/"];

    /// <summary>
    /// Whether an answer to this request should be a page: it reached a web page, or it reached nothing, is not under an
    /// API's path and comes from a browser (which asks for HTML).
    /// </summary>
    public static bool WantsPage(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<WebPageMetadata>() is not null)
        {
            return true;
        }

        var path = context.Request.Path.Value ?? "/";
        return ApiDefinition.ForPath(path) is null
            && !NotPages.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase))
            && context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
    }
}
