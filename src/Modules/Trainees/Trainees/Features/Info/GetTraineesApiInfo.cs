using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.Trainees.Api;
using Register.Trainees.Versions;

namespace Register.Trainees.Features.Info;

/// <summary><c>GET /api/{version}/info</c>: <c>{"status":"ok","version":{"requested":"v2026.0","latest":"v2026.1"}}</c>; <c>requested</c> is the path's.</summary>
internal static class GetTraineesApiInfo
{
    public static void Map(TraineeApi api) =>
        api.Group.MapGet("/info", () => TraineeApiResults.Ok(new JsonObject
        {
            ["status"] = "ok",
            ["version"] = new JsonObject { ["requested"] = api.Path, ["latest"] = TraineeApiVersions.Latest.Name },
        }))
            .WithName(api.Name("GetTraineesApiInfo"))
            .WithSummary("Check the API is up and the token works")
            .Answers<TraineesApiInfo>(StatusCodes.Status200OK);

    [ExactKeys]
    [System.ComponentModel.Description("The API is up and the token works.")]
    internal sealed record TraineesApiInfo([property: Values("ok")] string Status, TraineesApiVersions Version);

    [ExactKeys]
    internal sealed record TraineesApiVersions(
        [property: System.ComponentModel.Description("The version of the URL called (v2026.0, or a major version such as v2026).")] string Requested,
        [property: System.ComponentModel.Description("The newest version.")] string Latest);
}
