using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Telemetry;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Forms;

namespace Register.Trainees.Features.Uploads;

/// <summary>
/// <c>GET /bulk-update/add-trainees/{slug}</c>: an upload by its status. Pending or in progress: its progress, the page
/// reloading itself every 2 seconds (the HTTP <c>Refresh</c> header: no JavaScript needed; <c>?refresh=off</c> stops it); validated: the count, Submit and Cancel; failed: the rows with
/// errors (row, column, message; 25 rows a page), the error report and the form for the fixed file; succeeded: the trainees
/// made, linked; cancelled. <c>…/report.csv</c> is the API's report; <c>POST …/submit</c> and <c>…/cancel</c> go through
/// <see cref="MoveTraineeUpload.RunAsync"/>. Another provider's upload is 404 everywhere.
/// </summary>
public sealed partial class TraineeUploadPage
{
    public const int RefreshSeconds = 2;

    public sealed record ErrorLine(int RowNumber, string Column, string Message);

    public sealed record CreatedTrainee(int RowNumber, string Href, string Name);

    public sealed record PageModel(
        string Slug, string FileName, string Status, string StatusText, string StatusColour, int TotalRows, int RowsProcessed, int RowsFailed, string? Failure,
        string UploadedBy, string UploadedAt, bool Emailed, IReadOnlyList<ErrorLine> Errors, IReadOnlyList<CreatedTrainee> Trainees, int Page, int TotalPages,
        bool AutoRefresh)
    {
        public string Href => $"{UploadPages.Path}/{Slug}";

        public bool Running => Status is TraineeUpload.Pending or TraineeUpload.InProgress;

        public bool CanCancel => MoveTraineeUpload.From(MoveTraineeUpload.Cancel).Contains(Status);
    }

    [Parameter, EditorRequired] public PageModel Model { get; set; } = default!;

    internal static void Map(RouteGroupBuilder web)
    {
        web.MapGet($"{UploadPages.Path}/{{slug}}", async (string slug, string? page, string? refresh, HttpContext http, NpgsqlDataSource db, CancellationToken ct) =>
        {
            if (!PageRequest.TryParse(page, null, UploadPages.PageSize, UploadPages.PageSize, out var paging, out _))
            {
                return Pages.NotFound();
            }

            await using var connection = await db.OpenConnectionAsync(ct);
            var upload = await TraineeUpload.FindAsync(connection, http.SignedInProviderId(), slug, null, ct);
            if (upload is null)
            {
                return Pages.NotFound();
            }

            var model = await ModelAsync(connection, upload, paging, refresh != "off", ct);
            if (model.Running && model.AutoRefresh)
            {
                // The HTTP Refresh header, not a <meta> one: browsers reload the page alike, with or without JavaScript, and the
                // page offers to stop it (WCAG 2.2.1; axe-core refuses any meta refresh, which no one can turn off).
                http.Response.Headers["Refresh"] = RefreshSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return Pages.Show<TraineeUploadPage>(http, model);
        });

        web.MapGet($"{UploadPages.Path}/{{slug}}/report.csv", async (string slug, HttpContext http, NpgsqlDataSource db, CancellationToken ct) =>
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            var upload = await TraineeUpload.FindAsync(connection, http.SignedInProviderId(), slug, null, ct);
            if (upload is null)
            {
                return Pages.NotFound();
            }

            return upload.Status == TraineeUpload.Pending
                ? Pages.Problem(StatusCodes.Status409Conflict, "The error report is ready once your file has been checked.")
                : await GetTraineeUploadReport.FileAsync(connection, upload, ct);
        });

        foreach (var action in new[] { MoveTraineeUpload.Submit, MoveTraineeUpload.Cancel })
        {
            web.MapPost($"{UploadPages.Path}/{{slug}}/{action}", async (string slug, HttpContext http, TransactionRunner transactions, UploadWorker worker, TimeProvider clock, RegisterMetrics metrics, CancellationToken ct) =>
            {
                var outcome = await MoveTraineeUpload.RunAsync(transactions, worker, clock, metrics, http.SignedInProviderId(), slug, action, http.SignedInUser().Actor, ct);
                if (outcome.Error is { } refused)
                {
                    return refused.StatusCode == StatusCodes.Status404NotFound
                        ? Pages.NotFound()
                        : Pages.Problem(StatusCodes.Status409Conflict, action == MoveTraineeUpload.Submit
                            ? "Only a file that has been checked and has no errors can be submitted. This one cannot be submitted now."
                            : "Only a file that has been checked, and not submitted, can be cancelled. This one cannot be cancelled now.");
                }

                return action == MoveTraineeUpload.Submit
                    ? Pages.Redirect($"{UploadPages.Path}/{slug}")
                    : Pages.Redirect($"{UploadPages.Path}/{slug}", "Upload cancelled");
            });
        }
    }

    private static async Task<PageModel> ModelAsync(NpgsqlConnection connection, TraineeUpload upload, PageRequest paging, bool autoRefresh, CancellationToken ct)
    {
        IReadOnlyList<ErrorLine> errors = [];
        IReadOnlyList<CreatedTrainee> trainees = [];
        long listed = 0;
        if (upload.Status == TraineeUpload.Failed)
        {
            var rows = await connection.QueryAsync<ErrorRow>(new CommandDefinition(
                """
                SELECT row_number, errors FROM trainees.trainee_upload_rows
                WHERE upload_id = @Id AND cardinality(errors) > 0 ORDER BY row_number LIMIT @PerPage OFFSET @Offset
                """,
                new { upload.Id, paging.PerPage, paging.Offset }, cancellationToken: ct));
            errors = rows.SelectMany(r => r.Errors.Select(e => new ErrorLine(r.RowNumber, UploadPages.Column(e), e))).ToList();
            listed = upload.RowsFailed;
        }
        else if (upload.Status == TraineeUpload.Succeeded)
        {
            var rows = await connection.QueryAsync<TraineeRow>(new CommandDefinition(
                """
                SELECT r.row_number, r.trainee_slug, t.first_names, t.last_name FROM trainees.trainee_upload_rows r
                LEFT JOIN trainees.trainees t ON t.slug = r.trainee_slug AND t.provider_id = @ProviderId
                WHERE r.upload_id = @Id AND r.trainee_slug IS NOT NULL ORDER BY r.row_number LIMIT @PerPage OFFSET @Offset
                """,
                new { upload.Id, upload.ProviderId, paging.PerPage, paging.Offset }, cancellationToken: ct));
            trainees = rows.Select(r => new CreatedTrainee(r.RowNumber, $"/trainees/{r.TraineeSlug}",
                r.FirstNames is null && r.LastName is null ? "Personal data erased" : $"{r.FirstNames} {r.LastName}".Trim())).ToList();
            listed = upload.TotalRows;
        }

        var (text, colour) = UploadPages.StatusTag(upload.Status);
        return new PageModel(
            upload.Slug, upload.FileName ?? "trainees.csv", upload.Status, text, colour, upload.TotalRows, upload.RowsProcessed, upload.RowsFailed, upload.Failure,
            upload.CreatedByName, Formats.DateTime(upload.CreatedAt), upload.CreatedByEmail is not null, errors, trainees, paging.Page,
            Pagination.Of(paging.Page, UploadPages.PageSize, listed).TotalPages, autoRefresh);
    }

    private sealed record ErrorRow
    {
        public int RowNumber { get; init; }

        public string[] Errors { get; init; } = [];
    }

    private sealed record TraineeRow
    {
        public int RowNumber { get; init; }

        public string TraineeSlug { get; init; } = "";

        public string? FirstNames { get; init; }

        public string? LastName { get; init; }
    }
}
