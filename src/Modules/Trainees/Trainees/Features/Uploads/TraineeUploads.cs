using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;
using Register.Trainees.Api;
using Register.Trainees.Domain;

namespace Register.Trainees.Features.Uploads;

/// <summary>
/// CSV bulk upload, over the API (spec "Register decides", §9; for providers without an integration and for SRS migrations, in
/// v2026.1 and at <c>/api/v2026</c>) and in the browser ("Bulk add new trainees", <see cref="AddTraineesPage"/>): one
/// implementation, two front doors. <see cref="CreateAsync"/> takes a CSV in the template's columns
/// (<see cref="GetTraineeUploadTemplate"/>) → <c>pending</c> while <see cref="UploadWorker"/> dry-runs it (<see cref="GetTraineeUpload"/>
/// shows the rows done) → <c>validated</c>, or <c>failed</c> with each row's errors (<see cref="ListTraineeUploadRows"/>,
/// <see cref="GetTraineeUploadReport"/>) → <see cref="MoveTraineeUpload.RunAsync"/> submit: every trainee made in one
/// transaction, or none; or cancel.
/// </summary>
internal static class TraineeUploads
{
    public static string BasePath(TraineeApi api) => $"/api/{api.Path}";

    public static IResult NotFound() => TraineeApiResults.NotFound("Trainee upload(s) not found");

    /// <summary>The refusal <see cref="CreateAsync"/> and <see cref="MoveTraineeUpload.RunAsync"/> give for an upload the provider does not have.</summary>
    public static ApiErrorResult Missing() => ApiErrors.NotFound("Trainee upload(s) not found");

    /// <summary>The API's answer to a refusal of the shared functions: its 404, or its 422 with the message.</summary>
    public static IResult ApiResult(ApiErrorResult error) => error.StatusCode == StatusCodes.Status404NotFound
        ? NotFound()
        : TraineeApiResults.Unprocessable(error.Errors.Select(e => e.Message));

    /// <summary>The field of a file check's refusal (the page's file input).</summary>
    public const string FileField = "file";

    /// <summary>
    /// A file through the checks (none: "Select a CSV file"; then <see cref="UploadFile.Read"/>'s, in the reference's words) and,
    /// if it passes, a <c>pending</c> upload of its rows, its notification, and the worker woken to dry-run it. A refusal is a 422
    /// naming <see cref="FileField"/>. <paramref name="createdByEmail"/>: who to email when the check ends (none for a token).
    /// </summary>
    public static async Task<Outcome<TraineeUpload>> CreateAsync(
        TransactionRunner transactions, UploadWorker worker, TimeProvider clock, Guid providerId, Actor actor, string? createdByEmail,
        byte[]? content, string? fileName, CancellationToken ct)
    {
        if (content is null)
        {
            return Refused("Select a CSV file");
        }

        var (rows, error) = UploadFile.Read(content);
        if (error is not null)
        {
            return Refused(error);
        }

        var name = FileName(fileName);
        var upload = await transactions.RunAsync(TraineesModule.Schema, async tx =>
        {
            var now = clock.UtcNowForDatabase();
            var created = new TraineeUpload
            {
                Id = EventIds.Next(now),
                Slug = Slugs.New(),
                ProviderId = providerId,
                Status = TraineeUpload.Pending,
                FileName = name,
                TotalRows = rows.Count,
                CreatedByName = actor.Name,
                CreatedByEmail = string.IsNullOrWhiteSpace(createdByEmail) ? null : createdByEmail,
                CreatedAt = now,
                UpdatedAt = now,
            };
            await tx.Connection!.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO trainees.trainee_uploads (id, slug, provider_id, status, file_name, total_rows, created_by_id, created_by_name, created_by_email, created_at, updated_at)
                VALUES (@Id, @Slug, @ProviderId, @Status, @FileName, @TotalRows, @createdById, @CreatedByName, @CreatedByEmail, @CreatedAt, @UpdatedAt)
                """,
                new { created.Id, created.Slug, created.ProviderId, created.Status, created.FileName, created.TotalRows, createdById = actor.Id, created.CreatedByName, created.CreatedByEmail, created.CreatedAt, created.UpdatedAt },
                tx, cancellationToken: ct));
            await tx.Connection!.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO trainees.trainee_upload_rows (upload_id, row_number, line, cells)
                SELECT @Id, r.number, r.line, r.cells::jsonb FROM unnest(@numbers, @lines, @cells) AS r(number, line, cells)
                """,
                new
                {
                    created.Id,
                    numbers = rows.Select(r => r.RowNumber).ToArray(),
                    lines = rows.Select(r => r.Line).ToArray(),
                    cells = rows.Select(r => JsonSerializer.Serialize(r.Cells)).ToArray(),
                }, tx, cancellationToken: ct));
            await TraineeUpload.EnqueueAsync(tx, created, RecordActions.Created, actor,
                [new FieldChange("file_name", null, name), new FieldChange("total_rows", null, FieldChanges.Text(rows.Count)), new FieldChange("status", null, created.Status)],
                now, ct);
            return created;
        }, ct);
        worker.Wake();
        return upload;
    }

    private static ApiErrorResult Refused(string message) => ApiErrors.Result(StatusCodes.Status422UnprocessableEntity, message, FileField);

    private const int MaxFileNameLength = 255;

    /// <summary>
    /// The file's safe base name: only what follows the last <c>/</c> or <c>\</c> (no folders, so no <c>..</c>), without control
    /// characters (nor U+0000, which PostgreSQL cannot store) or leading dots, at most 255 characters; null when nothing is left.
    /// </summary>
    internal static string? FileName(string? name)
    {
        if (name is null)
        {
            return null;
        }

        var baseName = name[(name.LastIndexOfAny(['/', '\\']) + 1)..];
        var clean = new System.Text.StringBuilder(baseName.Length);
        foreach (var ch in baseName.Where(ch => !char.IsControl(ch) && ch is not ('"' or ':' or '*' or '?' or '<' or '>' or '|')))
        {
            clean.Append(ch);
        }

        var trimmed = clean.ToString().Trim().TrimStart('.').Trim();
        return trimmed.Length == 0 ? null : trimmed.Length <= MaxFileNameLength ? trimmed : trimmed[..MaxFileNameLength];
    }
}
