using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.BuildingBlocks.Database;
using Register.Trainees.Api;
using Register.Trainees.Features.Trainees;

namespace Register.Trainees.Features.Degrees;

/// <summary><c>DELETE /api/{version}/trainees/{trainee_id}/degrees/{degree_id}</c>: 200 with the trainee as it now is.</summary>
internal static class DeleteDegree
{
    public static void Map(TraineeApi api) =>
        api.Group.MapDelete("/trainees/{traineeId}/degrees/{degreeId}",
                (string traineeId, string degreeId, HttpContext http, TransactionRunner transactions, TimeProvider clock, CancellationToken ct) =>
                    TraineeParts.DeleteAsync(TraineeParts.Degrees, traineeId, degreeId, http, api.Version, transactions, clock, ct))
            .WithName(api.Name("DeleteDegree"))
            .WithSummary("Remove a trainee's degree")
            .Answers<TraineeEnvelope>(StatusCodes.Status200OK)
            .Answers<TraineeApiErrors>(StatusCodes.Status404NotFound)
            .Answers<TraineeApiErrors>(StatusCodes.Status422UnprocessableEntity);
}
