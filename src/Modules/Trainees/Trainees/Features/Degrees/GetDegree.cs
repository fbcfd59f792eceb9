using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.Trainees.Api;

namespace Register.Trainees.Features.Degrees;

/// <summary><c>GET /api/{version}/trainees/{trainee_id}/degrees/{degree_id}</c>: one of the trainee's degrees, or 404.</summary>
internal static class GetDegree
{
    public static void Map(TraineeApi api) =>
        api.Group.MapGet("/trainees/{traineeId}/degrees/{degreeId}", (string traineeId, string degreeId, HttpContext http, NpgsqlDataSource db, CancellationToken ct) =>
                TraineeParts.GetAsync(TraineeParts.Degrees, traineeId, degreeId, http, db, ct))
            .WithName(api.Name("GetDegree"))
            .WithSummary("One of a trainee's degrees")
            .Answers<DegreeEnvelope>(StatusCodes.Status200OK)
            .Answers<TraineeApiErrors>(StatusCodes.Status404NotFound);
}
