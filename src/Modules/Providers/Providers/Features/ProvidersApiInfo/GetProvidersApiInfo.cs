using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Register.Providers.Features.ProvidersApiInfo;

/// <summary><c>GET /api/v0/info</c>: the reference service's health and version answer, for a token check.</summary>
internal static class GetProvidersApiInfo
{
    internal sealed record ApiVersion(string Requested, string Latest);

    internal sealed record ProvidersApiInfoResponse(string Status, ApiVersion Version);

    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/info", () => TypedResults.Ok(new ProvidersApiInfoResponse("ok", new ApiVersion("v0", "v0"))))
            .WithName("GetProvidersApiInfo")
            .WithSummary("Check the API is up and the token works");
}
