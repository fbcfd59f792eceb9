using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.Trainees.Api;

namespace Register.Trainees.Features.Degrees;

/// <summary><c>GET /api/{version}/trainees/{trainee_id}/degrees</c>: the trainee's degrees; an empty list is <c>[]</c>.</summary>
internal static class ListDegrees
{
    public static void Map(TraineeApi api) =>
        api.Group.MapGet("/trainees/{traineeId}/degrees", (string traineeId, HttpContext http, NpgsqlDataSource db, CancellationToken ct) =>
                TraineeParts.ListAsync(TraineeParts.Degrees, traineeId, http, db, ct))
            .WithName(api.Name("ListDegrees"))
            .WithSummary("A trainee's degrees")
            .Answers<DegreeList>(StatusCodes.Status200OK)
            .Answers<TraineeApiErrors>(StatusCodes.Status404NotFound);
}
