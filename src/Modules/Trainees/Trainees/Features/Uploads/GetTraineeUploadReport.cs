using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.Trainees.Api;

namespace Register.Trainees.Features.Uploads;

/// <summary>
/// <c>GET /trainee-uploads/{id}/report</c>: the upload as CSV, each row with "Validation results" and "Errors", safe to
/// open in a spreadsheet and to upload again once fixed; 422 while the dry run has not finished.
/// </summary>
internal static class GetTraineeUploadReport
{
    public static void Map(TraineeApi api) =>
        api.Group.MapGet("/trainee-uploads/{uploadId}/report", ReportAsync)
            .WithName(api.Name("GetTraineeUploadReport")).WithSummary("The upload as CSV with \"Validation results\" and \"Errors\" for each row")
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .Answers<TraineeApiErrors>(StatusCodes.Status404NotFound)
            .Answers<TraineeApiErrors>(StatusCodes.Status422UnprocessableEntity);

    private static async Task<IResult> ReportAsync(string uploadId, HttpContext http, NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var upload = await TraineeUpload.FindAsync(connection, http.TrainingProvider().Id, uploadId, null, ct);
        if (upload is null)
        {
            return TraineeUploads.NotFound();
        }

        if (upload.Status == TraineeUpload.Pending)
        {
            return TraineeApiResults.Unprocessable("status is pending: the report is ready once the upload's dry run has finished");
        }

        return await FileAsync(connection, upload, ct);
    }

    /// <summary>The report of an upload whose dry run has finished, as a CSV download (the API's and the page's).</summary>
    public static async Task<IResult> FileAsync(NpgsqlConnection connection, TraineeUpload upload, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<ReportRow>(new CommandDefinition(
            "SELECT cells::text AS cells, errors FROM trainees.trainee_upload_rows WHERE upload_id = @Id ORDER BY row_number", upload, cancellationToken: ct));
        var report = UploadRowMapping.Report(rows.Select(r =>
            ((IReadOnlyDictionary<string, string?>)(JsonSerializer.Deserialize<Dictionary<string, string?>>(r.Cells) ?? []), (IReadOnlyList<string>)r.Errors)));
        return Results.File(Encoding.UTF8.GetBytes(report), "text/csv; charset=utf-8", $"{Path.GetFileNameWithoutExtension(upload.FileName ?? "trainees")}-report.csv");
    }

    private sealed record ReportRow
    {
        public string Cells { get; init; } = "{}";

        public string[] Errors { get; init; } = [];
    }
}
