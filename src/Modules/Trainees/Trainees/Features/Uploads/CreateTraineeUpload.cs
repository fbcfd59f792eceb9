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
/// multipart form's <c>file</c>) through the file checks (<see cref="TraineeUploads.CreateAsync"/>); 202 with the <c>pending</c> upload, whose dry run then starts.
/// </summary>
internal static class CreateTraineeUpload
{
    /// <summary>Bodies up to a little over the file limit reach the checks, so a large file gets the checks' message, not a 413.</summary>
    internal const long BodyLimit = UploadFile.MaxBytes + (1024 * 1024);

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

        var outcome = await TraineeUploads.CreateAsync(
            transactions, worker, clock, http.TrainingProvider().Id, http.Caller().Actor, createdByEmail: null, content, fileName, ct);
        if (outcome.Error is { } refused)
        {
            return TraineeUploads.ApiResult(refused);
        }

        var upload = outcome.Value!;
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
            return (buffer.ToArray(), file.FileName);
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, ct);
        return body.Length == 0 ? (null, null) : (body.ToArray(), request.Query["file_name"].FirstOrDefault());
    }
}
