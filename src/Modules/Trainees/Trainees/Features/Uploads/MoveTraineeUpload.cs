using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Telemetry;
using Register.Trainees.Api;

namespace Register.Trainees.Features.Uploads;

/// <summary>
/// <c>POST /trainee-uploads/{id}/submit</c> (a <c>validated</c> upload → <c>in_progress</c>, 202: the worker makes its trainees,
/// all or none) and <c>POST /trainee-uploads/{id}/cancel</c> (a validated or failed one → <c>cancelled</c>); another status is a 422.
/// The pages submit and cancel through <see cref="RunAsync"/>, as the API does.
/// </summary>
internal static class MoveTraineeUpload
{
    public const string Submit = "submit";
    public const string Cancel = "cancel";

    /// <summary>The statuses an upload may be submitted or cancelled from (the reference: cancel from validated or failed).</summary>
    public static IReadOnlyList<string> From(string action) =>
        action == Submit ? [TraineeUpload.Validated] : [TraineeUpload.Validated, TraineeUpload.Failed];

    public static void Map(TraineeApi api)
    {
        Map(api, Submit, StatusCodes.Status202Accepted, "SubmitTraineeUpload", "Submit a validated upload: its trainees are made, all or none");
        Map(api, Cancel, StatusCodes.Status200OK, "CancelTraineeUpload", "Cancel a validated or failed upload");
    }

    /// <summary>
    /// Submits (<see cref="Submit"/>) or cancels (<see cref="Cancel"/>) the provider's upload: 404 when it has none of that id, 422
    /// when its status does not allow it; a submit wakes the worker once it has committed, so the worker finds it in_progress.
    /// </summary>
    public static async Task<Outcome<TraineeUpload>> RunAsync(
        TransactionRunner transactions, UploadWorker worker, TimeProvider clock, RegisterMetrics metrics, Guid providerId, string uploadId, string action, Actor actor,
        CancellationToken ct)
    {
        var from = From(action);
        var to = action == Submit ? TraineeUpload.InProgress : TraineeUpload.Cancelled;
        var done = action == Submit ? "submitted" : "cancelled";
        var outcome = await transactions.RunAsync<Outcome<TraineeUpload>>(TraineesModule.Schema, async tx =>
        {
            var upload = await TraineeUpload.FindAsync(tx.Connection!, providerId, uploadId, tx, ct);
            if (upload is null)
            {
                return TraineeUploads.Missing();
            }

            if (!from.Contains(upload.Status))
            {
                return ApiErrors.Result(StatusCodes.Status422UnprocessableEntity, $"status is {upload.Status}: only an upload that is {string.Join(" or ", from)} can be {done}");
            }

            return await TraineeUpload.MoveAsync(tx, upload, to, actor, clock.UtcNowForDatabase(), ct);
        }, ct);

        if (outcome.Succeeded && to == TraineeUpload.InProgress)
        {
            worker.Wake();
        }

        if (outcome.Succeeded && to == TraineeUpload.Cancelled)
        {
            metrics.Upload(TraineeUpload.Cancelled, UploadWorker.UploadSource(outcome.Value!), outcome.Value!.TotalRows);
        }

        return outcome;
    }

    private static void Map(TraineeApi api, string action, int status, string name, string summary)
    {
        var basePath = TraineeUploads.BasePath(api);
        api.Group.MapPost($"/trainee-uploads/{{uploadId}}/{action}", async (string uploadId, HttpContext http, TransactionRunner transactions, UploadWorker worker, TimeProvider clock, RegisterMetrics metrics, CancellationToken ct) =>
            {
                var outcome = await RunAsync(transactions, worker, clock, metrics, http.TrainingProvider().Id, uploadId, action, http.Caller().Actor, ct);
                return outcome.Error is { } refused ? TraineeUploads.ApiResult(refused) : TraineeApiResults.Data(status, outcome.Value!.ToJson(basePath));
            })
            .WithName(api.Name(name)).WithSummary(summary)
            .Answers<TraineeUploadEnvelope>(status)
            .Answers<TraineeApiErrors>(StatusCodes.Status404NotFound)
            .Answers<TraineeApiErrors>(StatusCodes.Status422UnprocessableEntity);
    }
}
