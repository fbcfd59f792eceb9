using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.Trainees.Api;
using Register.Trainees.Domain;

namespace Register.Trainees.Features.Trainees;

/// <summary><c>GET /api/{version}/trainees/{trainee_id}</c>: one of the provider's trainees, unwrapped (no <c>data</c>), as the reference answers.</summary>
internal static class GetTrainee
{
    public static void Map(TraineeApi api) =>
        api.Group.MapGet("/trainees/{traineeId}", async (string traineeId, HttpContext http, NpgsqlDataSource db, CancellationToken ct) =>
            {
                var provider = http.TrainingProvider();
                await using var connection = await db.OpenConnectionAsync(ct);
                var trainee = await TraineeStore.FindAsync(connection, provider.Id, traineeId, null, ct);
                return trainee is null
                    ? TraineeApiResults.NotFound()
                    : TraineeApiResults.Ok(await TraineeViews.OneAsync(connection, trainee, provider, api.Version, null, ct));
            })
            .WithName(api.Name("GetTrainee"))
            .WithSummary("A trainee, with its degrees and placements")
            .Answers<TraineeResponse>(StatusCodes.Status200OK)
            .WithVersionedResponseExample(StatusCodes.Status200OK, TraineeExamples.Trainee)
            .Answers<TraineeApiErrors>(StatusCodes.Status404NotFound);
}
