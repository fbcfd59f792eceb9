using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.BuildingBlocks.Database;
using Register.Trainees.Api;
using Register.Trainees.Features.Trainees;

namespace Register.Trainees.Features.Placements;

/// <summary><c>DELETE /api/{version}/trainees/{trainee_id}/placements/{placement_id}</c>: 200 with the trainee as it now is.</summary>
internal static class DeletePlacement
{
    public static void Map(TraineeApi api) =>
        api.Group.MapDelete("/trainees/{traineeId}/placements/{placementId}",
                (string traineeId, string placementId, HttpContext http, TransactionRunner transactions, TimeProvider clock, CancellationToken ct) =>
                    TraineeParts.DeleteAsync(TraineeParts.Placements, traineeId, placementId, http, api.Version, transactions, clock, ct))
            .WithName(api.Name("DeletePlacement"))
            .WithSummary("Remove a trainee's placement")
            .Answers<TraineeEnvelope>(StatusCodes.Status200OK)
            .Answers<TraineeApiErrors>(StatusCodes.Status404NotFound)
            .Answers<TraineeApiErrors>(StatusCodes.Status422UnprocessableEntity);
}
