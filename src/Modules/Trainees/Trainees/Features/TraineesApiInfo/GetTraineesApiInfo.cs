using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.BuildingBlocks.Security;

namespace Register.Trainees.Features.TraineesApiInfo;

/// <summary><c>GET /api/{version}/info</c>: <c>{"status":"ok","version":{"requested":"v2026.0","latest":"v2026.1"}}</c>.</summary>
internal static class GetTraineesApiInfo
{
    internal sealed record TraineesApiVersion(string Requested, string Latest);

    internal sealed record TraineesApiInfoResponse(string Status, TraineesApiVersion Version);

    public static void Map(RouteGroupBuilder group, string version) =>
        group.MapGet("/info", () => TypedResults.Ok(new TraineesApiInfoResponse("ok", new TraineesApiVersion(version, ApiDefinition.TraineeApiVersions[^1]))))
            .WithName($"GetTraineesApiInfo-{version}")
            .WithSummary("Check the API is up and the token works");
}
