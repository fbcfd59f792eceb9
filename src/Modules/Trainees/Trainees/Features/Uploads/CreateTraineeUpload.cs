using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;
using Register.Trainees.Api;
using Register.Trainees.Domain;

namespace Register.Trainees.Features.Uploads;

/// <summary>
/// <c>POST /trainee-uploads</c>: a CSV (the body, with <c>?file_name=</c>, or a
/// multipart form's <c>file</c>) through the file checks; 202 with the <c>pending</c> upload, whose dry run then starts.
/// </summary>
internal static class CreateTraineeUpload
{
    /// <summary>Bodies up to a little over the file limit reach the checks, so a large file gets the checks' message, not a 413.</summary>
    private const long BodyLimit = UploadFile.MaxBytes + (1024 * 1024);

    private const int MaxFileNameLength = 255;

    public static void Map(TraineeApi api)
    {
        var basePath = TraineeUploads.BasePath(api);
        api.Group.MapPost("/trainee-uploads", (HttpContext http, TransactionRunner transactions, UploadWorker worker, TimeProvider clock, CancellationToken ct) =>
                HandleAsync(http, basePath, transactions, worker, clock, ct))
            .WithMetadata(new RequestSizeLimitAttribute(BodyLimit))
            .WithName(api.Name("CreateTraineeUpload")).WithSummary("Upload a CSV of trainees: its dry run starts")
            .Accepts<string>("text/csv", "multipart/form-data")
            .WithRequestContentSchema<TraineeUploadForm>("multipart/form-data")
            .WithQueryParameter("file_name", "string", "The file's name, when the body is the CSV itself.")
            .Answers<TraineeUploadEnvelope>(StatusCodes.Status202Accepted)
            .Answers<OneOf<PlainErrors, TraineeApiErrors>>(StatusCodes.Status400BadRequest)
            .Answers<PlainErrors>(StatusCodes.Status413PayloadTooLarge)
            .Answers<TraineeApiErrors>(StatusCodes.Status415UnsupportedMediaType)
            .Answers<TraineeApiErrors>(StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<IResult> HandleAsync(HttpContext http, string basePath, TransactionRunner transactions, UploadWorker worker, TimeProvider clock, CancellationToken ct)
    {
        byte[]? content;
        string? fileName;
        try
        {
            (content, fileName) = await ReadFileAsync(http.Request, ct);
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's body limit, or a body that ended early.
            return TraineeApiResults.Plain(ex.StatusCode, ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? $"The selected file must be smaller than {UploadFile.MaxBytes / 1024 / 1024}MB"
                : "The request body could not be read");
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            // A multipart body that breaks off, or whose boundaries or headers are wrong.
            return TraineeApiResults.Plain(StatusCodes.Status400BadRequest, "The multipart form could not be read: send the CSV as the part named file");
        }

        if (content is null)
        {
            return TraineeApiResults.Unprocessable("Select a CSV file");
        }

        var (rows, error) = UploadFile.Read(content);
        if (error is not null)
        {
            return TraineeApiResults.Unprocessable(error);
        }

        var provider = http.TrainingProvider();
        var actor = http.Caller().Actor;
        var upload = await transactions.RunAsync(TraineesModule.Schema, async tx =>
        {
            var now = clock.UtcNowForDatabase();
            var created = new TraineeUpload
            {
                Id = EventIds.Next(now),
                Slug = Slugs.New(),
                ProviderId = provider.Id,
                Status = TraineeUpload.Pending,
                FileName = fileName,
                TotalRows = rows.Count,
                CreatedByName = actor.Name,
                CreatedAt = now,
                UpdatedAt = now,
            };
            await tx.Connection!.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO trainees.trainee_uploads (id, slug, provider_id, status, file_name, total_rows, created_by_id, created_by_name, created_at, updated_at)
                VALUES (@Id, @Slug, @ProviderId, @Status, @FileName, @TotalRows, @createdById, @CreatedByName, @CreatedAt, @UpdatedAt)
                """,
                new { created.Id, created.Slug, created.ProviderId, created.Status, created.FileName, created.TotalRows, createdById = actor.Id, created.CreatedByName, created.CreatedAt, created.UpdatedAt },
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
                [new FieldChange("file_name", null, fileName), new FieldChange("total_rows", null, FieldChanges.Text(rows.Count)), new FieldChange("status", null, created.Status)],
                now, ct);
            return created;
        }, ct);
        worker.Wake();
        http.Response.Headers.Location = $"{basePath}/trainee-uploads/{upload.Slug}";
        return TraineeApiResults.Data(StatusCodes.Status202Accepted, upload.ToJson(basePath));
    }

    /// <summary>
    /// The file: a multipart form's <c>file</c> part, or else the body itself (text/csv, or a body without a content type;
    /// routing refuses other content types with a 415); null when there is none.
    /// </summary>
    private static async Task<(byte[]? Content, string? FileName)> ReadFileAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true)
        {
            var form = await request.ReadFormAsync(ct);
            if (form.Files.GetFile("file") is not { } file)
            {
                return (null, null);
            }

            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);
            return (buffer.ToArray(), FileName(file.FileName));
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, ct);
        return body.Length == 0 ? (null, null) : (body.ToArray(), FileName(request.Query["file_name"].FirstOrDefault()));
    }

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
        var clean = new StringBuilder(baseName.Length);
        foreach (var ch in baseName.Where(ch => !char.IsControl(ch) && ch is not ('"' or ':' or '*' or '?' or '<' or '>' or '|')))
        {
            clean.Append(ch);
        }

        var trimmed = clean.ToString().Trim().TrimStart('.').Trim();
        return trimmed.Length == 0 ? null : trimmed.Length <= MaxFileNameLength ? trimmed : trimmed[..MaxFileNameLength];
    }
}
