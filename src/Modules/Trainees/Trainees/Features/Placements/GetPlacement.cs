using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.Trainees.Api;

namespace Register.Trainees.Features.Placements;

/// <summary><c>GET /api/{version}/trainees/{trainee_id}/placements/{placement_id}</c>: one of the trainee's placements, or 404.</summary>
internal static class GetPlacement
{
    public static void Map(TraineeApi api) =>
        api.Group.MapGet("/trainees/{traineeId}/placements/{placementId}", (string traineeId, string placementId, HttpContext http, NpgsqlDataSource db, CancellationToken ct) =>
                TraineeParts.GetAsync(TraineeParts.Placements, traineeId, placementId, http, db, ct))
            .WithName(api.Name("GetPlacement"))
            .WithSummary("One of a trainee's placements")
            .Answers<PlacementEnvelope>(StatusCodes.Status200OK)
            .Answers<TraineeApiErrors>(StatusCodes.Status404NotFound);
}
