using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Security;
using Register.Trainees.Api;
using Register.Trainees.Domain;

namespace Register.Trainees.Features.Uploads;

/// <summary>
/// CSV bulk upload over the API (spec "Register decides", §9), for providers without an integration and for SRS migrations:
/// <c>POST /trainee-uploads</c> a CSV in the template's columns (the body, or a form's <c>file</c>) → the file checks →
/// <c>pending</c> while its dry run runs (<c>GET /trainee-uploads/{id}</c> shows the rows done) → <c>validated</c>, or
/// <c>failed</c> with each row's errors (<c>…/rows</c>, or <c>…/report</c> as CSV) → <c>POST …/submit</c>: every trainee made
/// in one transaction, or none. <c>POST …/cancel</c> drops a validated or failed one. <c>GET /trainee-uploads/template</c>.
/// </summary>
internal static class TraineeUploads
{
    /// <summary>Bodies up to a little over the file limit reach the checks, so a large file gets the checks' message, not a 413.</summary>
    private const long BodyLimit = UploadFile.MaxBytes + (1024 * 1024);

    public static void Map(TraineeApi api)
    {
        if (!api.Version.TraineeUploads)
        {
            return;
        }

        var basePath = $"/api/{api.Path}";
        api.Group.MapGet("/trainee-uploads/template", () => Results.Text(UploadFile.Template, "text/csv; charset=utf-8"))
            .WithName(api.Name("GetTraineeUploadTemplate")).WithSummary("The CSV template: its 51 columns")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");

        api.Group.MapPost("/trainee-uploads", (HttpContext http, TransactionRunner transactions, UploadWorker worker, TimeProvider clock, CancellationToken ct) =>
                CreateAsync(http, basePath, transactions, worker, clock, ct))
            .WithMetadata(new RequestSizeLimitAttribute(BodyLimit))
            .WithName(api.Name("CreateTraineeUpload")).WithSummary("Upload a CSV of trainees: its dry run starts")
            .Accepts<string>("text/csv", "multipart/form-data")
            .Produces(StatusCodes.Status202Accepted, contentType: "application/json")
            .Produces(StatusCodes.Status422UnprocessableEntity);

        api.Group.MapGet("/trainee-uploads", async (HttpContext http, NpgsqlDataSource db, CancellationToken ct) =>
            {
                await using var connection = await db.OpenConnectionAsync(ct);
                var uploads = await connection.QueryAsync<TraineeUpload>(new CommandDefinition(
                    $"SELECT {TraineeUpload.Columns} FROM trainees.trainee_uploads WHERE provider_id = @Id ORDER BY created_at DESC, id DESC LIMIT 50",
                    http.TrainingProvider(), cancellationToken: ct));
                return TraineeApiResults.Data(StatusCodes.Status200OK, new JsonArray(uploads.Select(u => (JsonNode?)u.ToJson(basePath)).ToArray()));
            })
            .WithName(api.Name("ListTraineeUploads")).WithSummary("The provider's 50 latest uploads")
            .Produces(StatusCodes.Status200OK, contentType: "application/json");

        api.Group.MapGet("/trainee-uploads/{uploadId}", async (string uploadId, HttpContext http, NpgsqlDataSource db, CancellationToken ct) =>
            {
                await using var connection = await db.OpenConnectionAsync(ct);
                var upload = await TraineeUpload.FindAsync(connection, http.TrainingProvider().Id, uploadId, null, ct);
                return upload is null ? NotFound() : TraineeApiResults.Data(StatusCodes.Status200OK, upload.ToJson(basePath));
            })
            .WithName(api.Name("GetTraineeUpload")).WithSummary("An upload: its status and how far it has got")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces(StatusCodes.Status404NotFound);

        api.Group.MapGet("/trainee-uploads/{uploadId}/rows", (string uploadId, string? page, string? per_page, HttpContext http, NpgsqlDataSource db, CancellationToken ct) =>
                RowsAsync(uploadId, page, per_page, http, db, ct))
            .WithName(api.Name("ListTraineeUploadRows")).WithSummary("Each row's result: passed, or its errors; the trainee made from it")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces(StatusCodes.Status404NotFound);

        api.Group.MapGet("/trainee-uploads/{uploadId}/report", async (string uploadId, HttpContext http, NpgsqlDataSource db, CancellationToken ct) =>
            {
                await using var connection = await db.OpenConnectionAsync(ct);
                var upload = await TraineeUpload.FindAsync(connection, http.TrainingProvider().Id, uploadId, null, ct);
                if (upload is null)
                {
                    return NotFound();
                }

                var rows = await connection.QueryAsync<ReportRow>(new CommandDefinition(
                    "SELECT cells::text AS cells, errors FROM trainees.trainee_upload_rows WHERE upload_id = @Id ORDER BY row_number", upload, cancellationToken: ct));
                var report = UploadRowMapping.Report(rows.Select(r => ((IReadOnlyDictionary<string, string?>)(JsonSerializer.Deserialize<Dictionary<string, string?>>(r.Cells) ?? []), (IReadOnlyList<string>)r.Errors)));
                return Results.File(System.Text.Encoding.UTF8.GetBytes(report), "text/csv; charset=utf-8", $"{Path.GetFileNameWithoutExtension(upload.FileName ?? "trainees")}-report.csv");
            })
            .WithName(api.Name("GetTraineeUploadReport")).WithSummary("The upload as CSV with \"Validation results\" and \"Errors\" for each row")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .Produces(StatusCodes.Status404NotFound);

        foreach (var (action, from, to, summary) in new[]
        {
            ("submit", new[] { TraineeUpload.Validated }, TraineeUpload.InProgress, "Submit a validated upload: its trainees are made, all or none"),
            ("cancel", new[] { TraineeUpload.Validated, TraineeUpload.Failed }, TraineeUpload.Cancelled, "Cancel a validated or failed upload"),
        })
        {
            api.Group.MapPost($"/trainee-uploads/{{uploadId}}/{action}", (string uploadId, HttpContext http, TransactionRunner transactions, UploadWorker worker, TimeProvider clock, CancellationToken ct) =>
                    transactions.RunAsync(TraineesModule.Schema, async tx =>
                    {
                        var upload = await TraineeUpload.FindAsync(tx.Connection!, http.TrainingProvider().Id, uploadId, tx, ct);
                        if (upload is null)
                        {
                            return NotFound();
                        }

                        if (!from.Contains(upload.Status))
                        {
                            return TraineeApiResults.Unprocessable($"status is {upload.Status}: only an upload that is {string.Join(" or ", from)} can be {(action == "submit" ? "submitted" : "cancelled")}");
                        }

                        await TraineeUpload.MoveAsync(tx, upload, to, http.Caller().Actor, clock.UtcNowForDatabase(), ct);
                        if (to == TraineeUpload.InProgress)
                        {
                            worker.Wake();
                        }

                        var moved = await TraineeUpload.FindAsync(tx.Connection!, upload.ProviderId, uploadId, tx, ct);
                        return TraineeApiResults.Data(action == "submit" ? StatusCodes.Status202Accepted : StatusCodes.Status200OK, moved!.ToJson(basePath));
                    }, ct))
                .WithName(api.Name(action == "submit" ? "SubmitTraineeUpload" : "CancelTraineeUpload")).WithSummary(summary)
                .Produces(action == "submit" ? StatusCodes.Status202Accepted : StatusCodes.Status200OK, contentType: "application/json")
                .Produces(StatusCodes.Status404NotFound)
                .Produces(StatusCodes.Status422UnprocessableEntity);
        }
    }

    private static IResult NotFound() => TraineeApiResults.NotFound("Trainee upload(s) not found");

    private static async Task<IResult> CreateAsync(HttpContext http, string basePath, TransactionRunner transactions, UploadWorker worker, TimeProvider clock, CancellationToken ct)
    {
        var (content, fileName) = await ReadFileAsync(http.Request, ct);
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
                Id = EventIds.Next(now), Slug = Slugs.New(), ProviderId = provider.Id, Status = TraineeUpload.Pending, FileName = fileName, TotalRows = rows.Count,
                CreatedByName = actor.Name, CreatedAt = now, UpdatedAt = now,
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

    /// <summary>The file: a form's <c>file</c> part, or else the body itself; null when there is none.</summary>
    private static async Task<(byte[]? Content, string? FileName)> ReadFileAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            if (form.Files.GetFile("file") is not { } file)
            {
                return (null, null);
            }

            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);
            return (buffer.ToArray(), Path.GetFileName(file.FileName));
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, ct);
        return body.Length == 0 ? (null, null) : (body.ToArray(), request.Query["file_name"].FirstOrDefault());
    }

    private static async Task<IResult> RowsAsync(string uploadId, string? page, string? perPage, HttpContext http, NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var upload = await TraineeUpload.FindAsync(connection, http.TrainingProvider().Id, uploadId, null, ct);
        if (upload is null)
        {
            return NotFound();
        }

        var pageNumber = int.TryParse(page, out var p) && p > 0 ? p : 1;
        var size = int.TryParse(perPage, out var s) && s > 0 ? Math.Min(s, 1000) : 100;
        var rows = await connection.QueryAsync<ResultRow>(new CommandDefinition(
            """
            SELECT row_number, line, error_type, errors, trainee_slug FROM trainees.trainee_upload_rows
            WHERE upload_id = @Id ORDER BY row_number LIMIT @size OFFSET @offset
            """,
            new { upload.Id, size, offset = (long)(pageNumber - 1) * size }, cancellationToken: ct));
        var ran = upload.Status is not TraineeUpload.Pending;
        return TraineeApiResults.Ok(new JsonObject
        {
            ["data"] = new JsonArray(rows.Select(r => (JsonNode?)new JsonObject
            {
                ["row_number"] = r.RowNumber,
                ["line"] = r.Line,
                ["result"] = !ran ? "pending" : r.Errors.Length > 0 ? "failed" : r.TraineeSlug is not null ? "created" : "passed",
                ["error_type"] = r.ErrorType,
                ["errors"] = new JsonArray(r.Errors.Select(e => (JsonNode?)e).ToArray()),
                ["trainee_id"] = r.TraineeSlug,
            }).ToArray()),
            ["meta"] = new JsonObject
            {
                ["current_page"] = pageNumber, ["total_pages"] = (upload.TotalRows + size - 1) / size, ["total_count"] = upload.TotalRows, ["per_page"] = size,
            },
        });
    }

    private sealed record ReportRow
    {
        public string Cells { get; init; } = "{}";

        public string[] Errors { get; init; } = [];
    }

    private sealed record ResultRow
    {
        public int RowNumber { get; init; }

        public int Line { get; init; }

        public string? ErrorType { get; init; }

        public string[] Errors { get; init; } = [];

        public string? TraineeSlug { get; init; }
    }
}
