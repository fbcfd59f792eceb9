using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Register.Providers.Features.ProvidersApi;

/// <summary>
/// <c>GET /api/v0/info</c> and <c>GET /api/v1/info</c>: the reference's health and version answer, e.g.
/// <c>{"status":"ok","version":{"requested":"v0","latest":"v1"}}</c>.
/// </summary>
internal static class GetProvidersApiInfo
{
    public const string LatestVersion = "v1";

    internal sealed record ApiVersion(string Requested, string Latest);

    internal sealed record ProvidersApiInfoResponse(string Status, ApiVersion Version);

    public static void Map(RouteGroupBuilder group, string version) =>
        group.MapGet("/info", () => TypedResults.Ok(new ProvidersApiInfoResponse("ok", new ApiVersion(version, LatestVersion))))
            .WithName($"GetProvidersApiInfo-{version}")
            .WithSummary("Check the API is up and the token works");
}
