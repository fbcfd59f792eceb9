using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.Trainees.Api;
using Register.Trainees.Domain;

namespace Register.Trainees.Features.Placements;

/// <summary><c>GET /api/{version}/trainees/{trainee_id}/placements</c> (oldest first; may be <c>[]</c>) and <c>…/placements/{placement_id}</c>.</summary>
internal static class ListPlacements
{
    public static void Map(TraineeApi api)
    {
        api.Group.MapGet("/trainees/{traineeId}/placements", async (string traineeId, HttpContext http, NpgsqlDataSource db, CancellationToken ct) =>
            {
                await using var connection = await db.OpenConnectionAsync(ct);
                var trainee = await TraineeStore.FindAsync(connection, http.TrainingProvider().Id, traineeId, null, ct);
                if (trainee is null)
                {
                    return TraineeApiResults.NotFound();
                }

                var placements = await TraineeStore.PlacementsAsync(connection, [trainee.Id], null, ct);
                return TraineeApiResults.Data(StatusCodes.Status200OK, new JsonArray(placements[trainee.Id].Select(p => (JsonNode?)TraineeJson.Placement(p)).ToArray()));
            })
            .WithName(api.Name("ListPlacements"))
            .WithSummary("A trainee's placements")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces(StatusCodes.Status404NotFound);

        api.Group.MapGet("/trainees/{traineeId}/placements/{placementId}", async (string traineeId, string placementId, HttpContext http, NpgsqlDataSource db, CancellationToken ct) =>
            {
                await using var connection = await db.OpenConnectionAsync(ct);
                var trainee = await TraineeStore.FindAsync(connection, http.TrainingProvider().Id, traineeId, null, ct);
                if (trainee is null)
                {
                    return TraineeApiResults.NotFound();
                }

                var placement = await TraineeStore.FindPlacementAsync(connection, trainee.Id, placementId, null, ct);
                return placement is null ? TraineeApiResults.NotFound("Placement(s) not found") : TraineeApiResults.Data(StatusCodes.Status200OK, TraineeJson.Placement(placement));
            })
            .WithName(api.Name("GetPlacement"))
            .WithSummary("One of a trainee's placements")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces(StatusCodes.Status404NotFound);
    }
}
