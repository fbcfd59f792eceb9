using System.Text.Json.Nodes;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks.Http;
using Register.Trainees.Api;

namespace Register.Trainees.Features.Uploads;

/// <summary>
/// <c>GET /trainee-uploads/{id}/rows</c>: each row's result (pending, passed, failed with its errors, or created with the
/// trainee made from it), paginated (<c>page</c>, <c>per_page</c> up to 1,000).
/// </summary>
internal static class ListTraineeUploadRows
{
    public static void Map(TraineeApi api) =>
        api.Group.MapGet("/trainee-uploads/{uploadId}/rows", (string uploadId, string? page, string? per_page, HttpContext http, NpgsqlDataSource db, CancellationToken ct) =>
                RowsAsync(uploadId, page, per_page, http, db, ct))
            .WithName(api.Name("ListTraineeUploadRows")).WithSummary("Each row's result: passed, or its errors; the trainee made from it")
            .WithQueryParameter("page", "integer", "The page, from 1 (anything else is page 1).")
            .WithQueryParameter("per_page", "integer", "Rows a page: 100 by default, at most 1000.")
            .Answers<TraineeUploadRowList>(StatusCodes.Status200OK)
            .Answers<TraineeApiErrors>(StatusCodes.Status404NotFound);

    private static async Task<IResult> RowsAsync(string uploadId, string? page, string? perPage, HttpContext http, NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var upload = await TraineeUpload.FindAsync(connection, http.TrainingProvider().Id, uploadId, null, ct);
        if (upload is null)
        {
            return TraineeUploads.NotFound();
        }

        var pageNumber = int.TryParse(page, out var p) && p > 0 ? p : 1;
        var size = int.TryParse(perPage, out var s) && s > 0 ? Math.Min(s, 1000) : 100;
        var rows = await connection.QueryAsync<ResultRow>(new CommandDefinition(
            """
            SELECT row_number, line, error_type, errors, trainee_slug FROM trainees.trainee_upload_rows
            WHERE upload_id = @Id ORDER BY row_number LIMIT @size OFFSET @Offset
            """,
            new { upload.Id, size, new PageRequest(pageNumber, size).Offset }, cancellationToken: ct));
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
            ["meta"] = TraineeApiResults.Meta(Pagination.Of(pageNumber, size, upload.TotalRows)),
        });
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
