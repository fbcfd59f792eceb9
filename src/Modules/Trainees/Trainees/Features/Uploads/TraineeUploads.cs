using Microsoft.AspNetCore.Http;
using Register.Trainees.Api;

namespace Register.Trainees.Features.Uploads;

/// <summary>
/// CSV bulk upload over the API (spec "Register decides", §9), for providers without an integration and for SRS migrations,
/// in v2026.1 and at <c>/api/v2026</c>: <see cref="CreateTraineeUpload"/> takes a CSV in the template's columns
/// (<see cref="GetTraineeUploadTemplate"/>; the body, or a form's <c>file</c>) → <c>pending</c> while <see cref="UploadWorker"/>
/// dry-runs it (<see cref="GetTraineeUpload"/> shows the rows done) → <c>validated</c>, or <c>failed</c> with each row's errors
/// (<see cref="ListTraineeUploadRows"/>, <see cref="GetTraineeUploadReport"/>) → <see cref="MoveTraineeUpload"/> submit: every
/// trainee made in one transaction, or none; or cancel.
/// </summary>
internal static class TraineeUploads
{
    public static string BasePath(TraineeApi api) => $"/api/{api.Path}";

    public static IResult NotFound() => TraineeApiResults.NotFound("Trainee upload(s) not found");
}
