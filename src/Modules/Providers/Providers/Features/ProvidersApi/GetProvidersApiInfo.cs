using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Register.Providers.Features.ProvidersApi;

/// <summary>
/// <c>GET /api/v0/info</c> and <c>GET /api/v1/info</c>: the reference's health and version answer. v0 is an exact copy of the
/// reference's providers API, whose only version is v0, so it answers as the reference does:
/// <c>{"status":"ok","version":{"requested":"v0","latest":"v0"}}</c>. v1 is Register's own (paged, for incremental sync) and
/// says so in its own answer: <c>{"status":"ok","version":{"requested":"v1","latest":"v1"}}</c>.
/// </summary>
internal static class GetProvidersApiInfo
{
    internal sealed record ApiVersion(string Requested, string Latest);

    internal sealed record ProvidersApiInfoResponse(string Status, ApiVersion Version);

    /// <param name="version">The version this group serves.</param>
    /// <param name="latest">The newest version of the line it belongs to: v0 for the reference's API, v1 for Register's.</param>
    public static void Map(RouteGroupBuilder group, string version, string latest) =>
        group.MapGet("/info", () => TypedResults.Ok(new ProvidersApiInfoResponse("ok", new ApiVersion(version, latest))))
            .WithName($"GetProvidersApiInfo-{version}")
            .WithSummary("Check the API is up and the token works");
}
