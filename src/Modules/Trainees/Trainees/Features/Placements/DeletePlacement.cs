using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Security;
using Register.Trainees.Api;
using Register.Trainees.Domain;

namespace Register.Trainees.Features.Placements;

/// <summary><c>DELETE /api/{version}/trainees/{trainee_id}/placements/{placement_id}</c>: 200 with the trainee as it now is.</summary>
internal static class DeletePlacement
{
    public static void Map(TraineeApi api) =>
        api.Group.MapDelete("/trainees/{traineeId}/placements/{placementId}",
                (string traineeId, string placementId, HttpContext http, TransactionRunner transactions, TimeProvider clock, CancellationToken ct) =>
                    transactions.RunAsync(TraineesModule.Schema, async tx =>
                    {
                        var provider = http.TrainingProvider();
                        var (trainee, refusal) = await EditableTrainee.FindAsync(tx, provider, traineeId, api.Version, ct);
                        if (trainee is null)
                        {
                            return refusal!;
                        }

                        var placement = await TraineeStore.FindPlacementAsync(tx.Connection!, trainee.Id, placementId, tx, ct);
                        if (placement is null)
                        {
                            return TraineeApiResults.NotFound("Placement(s) not found");
                        }

                        var now = clock.UtcNowForDatabase();
                        await TraineeStore.DeletePlacementAsync(tx, placement.Id, ct);
                        await TraineeStore.TouchAsync(tx, trainee.Id, now, ct);
                        await TraineeEvents.EnqueueAsync(tx, TraineeEvents.Placement, trainee, RecordActions.Deleted, http.Caller().Actor,
                            TraineeEvents.Between(TraineeJson.Placement(placement), null), now, ct);
                        var updated = await TraineeStore.FindAsync(tx.Connection!, provider.Id, traineeId, tx, ct);
                        return TraineeApiResults.Data(StatusCodes.Status200OK, await TraineeViews.OneAsync(tx.Connection!, updated!, provider, api.Version, tx, ct));
                    }, ct))
            .WithName(api.Name("DeletePlacement"))
            .WithSummary("Remove a trainee's placement")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces(StatusCodes.Status404NotFound)
            .Produces(StatusCodes.Status422UnprocessableEntity);
}
