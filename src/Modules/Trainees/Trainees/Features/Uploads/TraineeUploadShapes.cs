using System.ComponentModel;
using Microsoft.AspNetCore.Http;
using Register.Trainees.Api;

namespace Register.Trainees.Features.Uploads;

// What the upload slices take and answer: documentation only (docs/adr/0018); the slices answer TraineeUpload.ToJson and their rows as JSON nodes.

/// <summary>The multipart form of <c>POST /trainee-uploads</c>.</summary>
[Description("A form with the CSV as its file part.")]
internal sealed record TraineeUploadForm([property: Description("The CSV in the template's columns (GET /trainee-uploads/template), at most 10MB.")] IFormFile File);

/// <summary>An upload as the API answers it (<see cref="TraineeUpload.ToJson"/>).</summary>
[ExactKeys]
[Description("A CSV upload and how far it has got.")]
internal sealed record TraineeUploadResponse
{
    [Description("Register's id of the upload.")]
    public required string UploadId { get; init; }

    [Description("pending: its dry run is to come; validated: every row passed, it may be submitted; in_progress: submitted, its trainees being made; succeeded; failed: a row broke a rule (nothing was made); cancelled.")]
    [Values(TraineeUpload.Pending, TraineeUpload.Validated, TraineeUpload.InProgress, TraineeUpload.Succeeded, TraineeUpload.Failed, TraineeUpload.Cancelled)]
    public required string Status { get; init; }

    [Description("The file's name, without folders.")]
    public required string? FileName { get; init; }

    [Description("How many trainee rows the file has.")]
    public required int TotalRows { get; init; }

    [Description("How many rows the current run has done.")]
    public required int RowsProcessed { get; init; }

    [Description("How many rows broke a rule.")]
    public required int RowsFailed { get; init; }

    [Description("What stopped a run that could not finish (not a row's broken rule).")]
    public required string? Failure { get; init; }

    [Description("Who uploaded it.")]
    public required string CreatedBy { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public required DateTimeOffset? ValidatedAt { get; init; }

    public required DateTimeOffset? SubmittedAt { get; init; }

    public required DateTimeOffset? CompletedAt { get; init; }

    public required TraineeUploadLinks Links { get; init; }
}

[ExactKeys]
[Description("Where to follow the upload.")]
internal sealed record TraineeUploadLinks(
    [property: Description("The upload.")] string Self,
    [property: Description("Each row's result.")] string Rows,
    [property: Description("The CSV report.")] string Report);

[ExactKeys]
[Description("{\"data\": the upload}.")]
internal sealed record TraineeUploadEnvelope(TraineeUploadResponse Data);

[ExactKeys]
[Description("{\"data\": the provider's 50 latest uploads, newest first}.")]
internal sealed record TraineeUploadList(IReadOnlyList<TraineeUploadResponse> Data);

/// <summary>One row's result (<see cref="ListTraineeUploadRows"/>).</summary>
[ExactKeys]
[Description("One row of the file and what became of it.")]
internal sealed record TraineeUploadRow
{
    [Description("The row's number among the trainee rows, from 1.")]
    public required int RowNumber { get; init; }

    [Description("The row's line in the file.")]
    public required int Line { get; init; }

    [Values("pending", "passed", "failed", "created")]
    public required string Result { get; init; }

    [Description("The kind of error of a failed row.")]
    public required string? ErrorType { get; init; }

    [Description("The row's broken rules, in the API's words.")]
    public required IReadOnlyList<string> Errors { get; init; }

    [Description("The trainee made from the row, once the upload succeeded.")]
    public required string? TraineeId { get; init; }
}

[ExactKeys]
[Description("A page of the upload's rows.")]
internal sealed record TraineeUploadRowList(IReadOnlyList<TraineeUploadRow> Data, PageMeta Meta);
