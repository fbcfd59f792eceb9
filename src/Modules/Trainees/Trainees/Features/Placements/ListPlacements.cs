using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.Trainees.Api;

namespace Register.Trainees.Features.Placements;

/// <summary><c>GET /api/{version}/trainees/{trainee_id}/placements</c>: the trainee's placements (oldest first); an empty list is <c>[]</c>.</summary>
internal static class ListPlacements
{
    public static void Map(TraineeApi api) =>
        api.Group.MapGet("/trainees/{traineeId}/placements", (string traineeId, HttpContext http, NpgsqlDataSource db, CancellationToken ct) =>
                TraineeParts.ListAsync(TraineeParts.Placements, traineeId, http, db, ct))
            .WithName(api.Name("ListPlacements"))
            .WithSummary("A trainee's placements")
            .Answers<PlacementList>(StatusCodes.Status200OK)
            .Answers<TraineeApiErrors>(StatusCodes.Status404NotFound);
}
