using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.Trainees.Api;
using Register.Trainees.Domain;

namespace Register.Trainees.Features.Degrees;

/// <summary><c>GET /api/{version}/trainees/{trainee_id}/degrees</c> (an empty list is <c>[]</c>) and <c>…/degrees/{degree_id}</c>.</summary>
internal static class ListDegrees
{
    public static void Map(TraineeApi api)
    {
        api.Group.MapGet("/trainees/{traineeId}/degrees", async (string traineeId, HttpContext http, NpgsqlDataSource db, CancellationToken ct) =>
            {
                await using var connection = await db.OpenConnectionAsync(ct);
                var trainee = await TraineeStore.FindAsync(connection, http.TrainingProvider().Id, traineeId, null, ct);
                if (trainee is null)
                {
                    return TraineeApiResults.NotFound();
                }

                var degrees = await TraineeStore.DegreesAsync(connection, [trainee.Id], null, ct);
                return TraineeApiResults.Data(StatusCodes.Status200OK, new JsonArray(degrees[trainee.Id].Select(d => (JsonNode?)TraineeJson.Degree(d)).ToArray()));
            })
            .WithName(api.Name("ListDegrees"))
            .WithSummary("A trainee's degrees")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces(StatusCodes.Status404NotFound);

        api.Group.MapGet("/trainees/{traineeId}/degrees/{degreeId}", async (string traineeId, string degreeId, HttpContext http, NpgsqlDataSource db, CancellationToken ct) =>
            {
                await using var connection = await db.OpenConnectionAsync(ct);
                var trainee = await TraineeStore.FindAsync(connection, http.TrainingProvider().Id, traineeId, null, ct);
                if (trainee is null)
                {
                    return TraineeApiResults.NotFound();
                }

                var degree = await TraineeStore.FindDegreeAsync(connection, trainee.Id, degreeId, null, ct);
                return degree is null ? TraineeApiResults.NotFound("Degree(s) not found") : TraineeApiResults.Data(StatusCodes.Status200OK, TraineeJson.Degree(degree));
            })
            .WithName(api.Name("GetDegree"))
            .WithSummary("One of a trainee's degrees")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces(StatusCodes.Status404NotFound);
    }
}
