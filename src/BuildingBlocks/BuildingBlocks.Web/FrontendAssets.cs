using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;

namespace Register.BuildingBlocks.Web;

/// <summary>
/// <c>GET /assets/{path}</c>: govuk-frontend's CSS, JavaScript, fonts and images, accessible-autocomplete, and
/// Register's own CSS and JavaScript, embedded in this assembly at build time and served with an ETag.
/// </summary>
public static class FrontendAssets
{
    private static readonly FrozenDictionary<string, Asset> Assets = Load();

    private sealed record Asset(byte[] Content, string ContentType, string ETag);

    public static IEndpointConventionBuilder MapFrontendAssets(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/assets/{**path}", (string path, HttpContext http) =>
        {
            if (!Assets.TryGetValue(path, out var asset))
            {
                return Results.NotFound();
            }

            http.Response.Headers.CacheControl = "public, max-age=3600";
            http.Response.Headers.XContentTypeOptions = "nosniff";
            if (http.Request.Headers.IfNoneMatch == asset.ETag)
            {
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }

            http.Response.Headers.ETag = asset.ETag;
            return Results.Bytes(asset.Content, asset.ContentType);
        }).ExcludeFromDescription();

    /// <summary>Whether an asset is there (the tests check the layout's links).</summary>
    public static bool Has(string path) => Assets.ContainsKey(path);

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(FrontendAssets).Assembly;
        var types = new FileExtensionContentTypeProvider();
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("assets/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            var content = memory.ToArray();
            var path = name["assets/".Length..];
            var type = types.TryGetContentType(path, out var found) ? found : "application/octet-stream";
            if (type is "text/css" or "text/javascript" or "application/javascript" or "application/json")
            {
                type += "; charset=utf-8";
            }

            assets[path] = new Asset(content, type, $"\"{Convert.ToHexString(SHA256.HashData(content))[..16]}\"");
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
