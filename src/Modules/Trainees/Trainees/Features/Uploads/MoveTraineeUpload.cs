using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Security;
using Register.Trainees.Api;

namespace Register.Trainees.Features.Uploads;

/// <summary>
/// <c>POST /trainee-uploads/{id}/submit</c> (a <c>validated</c> upload → <c>in_progress</c>, 202: the worker makes its trainees,
/// all or none) and <c>POST /trainee-uploads/{id}/cancel</c> (a validated or failed one → <c>cancelled</c>); another status is a 422.
/// </summary>
internal static class MoveTraineeUpload
{
    public static void Map(TraineeApi api)
    {
        Map(api, "submit", [TraineeUpload.Validated], TraineeUpload.InProgress, StatusCodes.Status202Accepted, "SubmitTraineeUpload",
            "Submit a validated upload: its trainees are made, all or none");
        Map(api, "cancel", [TraineeUpload.Validated, TraineeUpload.Failed], TraineeUpload.Cancelled, StatusCodes.Status200OK, "CancelTraineeUpload",
            "Cancel a validated or failed upload");
    }

    private static void Map(TraineeApi api, string action, string[] from, string to, int status, string name, string summary)
    {
        var basePath = TraineeUploads.BasePath(api);
        var done = action == "submit" ? "submitted" : "cancelled";
        api.Group.MapPost($"/trainee-uploads/{{uploadId}}/{action}", async (string uploadId, HttpContext http, TransactionRunner transactions, UploadWorker worker, TimeProvider clock, CancellationToken ct) =>
            {
                var result = await transactions.RunAsync<(bool Moved, IResult Result)>(TraineesModule.Schema, async tx =>
                {
                    var upload = await TraineeUpload.FindAsync(tx.Connection!, http.TrainingProvider().Id, uploadId, tx, ct);
                    if (upload is null)
                    {
                        return (false, TraineeUploads.NotFound());
                    }

                    if (!from.Contains(upload.Status))
                    {
                        return (false, TraineeApiResults.Unprocessable($"status is {upload.Status}: only an upload that is {string.Join(" or ", from)} can be {done}"));
                    }

                    var moved = await TraineeUpload.MoveAsync(tx, upload, to, http.Caller().Actor, clock.UtcNowForDatabase(), ct);
                    return (true, TraineeApiResults.Data(status, moved.ToJson(basePath)));
                }, ct);

                // Woken once the move has committed, so the worker finds the upload in_progress.
                if (result.Moved && to == TraineeUpload.InProgress)
                {
                    worker.Wake();
                }

                return result.Result;
            })
            .WithName(api.Name(name)).WithSummary(summary)
            .Answers<TraineeUploadEnvelope>(status)
            .Answers<TraineeApiErrors>(StatusCodes.Status404NotFound)
            .Answers<TraineeApiErrors>(StatusCodes.Status422UnprocessableEntity);
    }
}
