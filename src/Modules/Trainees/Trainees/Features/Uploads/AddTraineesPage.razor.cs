using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Forms;

namespace Register.Trainees.Features.Uploads;

/// <summary>
/// <c>GET /bulk-update/add-trainees</c>: what to do, the template and field guidance to download, the upload form and the
/// provider's 10 latest uploads; <c>POST</c>: the file through the API's checks (<see cref="TraineeUploads.CreateAsync"/>) →
/// the upload's page, or the form again with the check's message (422); <c>GET …/template.csv</c>: the API's template.
/// </summary>
public sealed partial class AddTraineesPage
{
    public sealed record UploadRow(string Href, string FileName, string StatusText, string StatusColour, int Rows, string UploadedAt);

    public sealed record PageModel(FormState Form, IReadOnlyList<UploadRow> Uploads);

    [Parameter, EditorRequired] public PageModel Model { get; set; } = default!;

    internal static void Map(RouteGroupBuilder web)
    {
        web.MapGet(UploadPages.Path, async (HttpContext http, NpgsqlDataSource db, CancellationToken ct) =>
            Pages.Show<AddTraineesPage>(http, await ModelAsync(db, http.SignedInProviderId(), FormState.Empty, ct)));

        web.MapPost(UploadPages.Path, async (HttpContext http, NpgsqlDataSource db, TransactionRunner transactions, UploadWorker worker, TimeProvider clock, CancellationToken ct) =>
            {
                var user = http.SignedInUser();
                var (content, fileName, unread) = await UploadPages.ReadFileAsync(http.Request, ct);
                var outcome = unread is not null
                    ? unread
                    : await TraineeUploads.CreateAsync(transactions, worker, clock, http.SignedInProviderId(), user.Actor, user.Email, content, fileName, ct);
                if (outcome.IsInvalid)
                {
                    return Pages.Invalid<AddTraineesPage>(http, await ModelAsync(db, http.SignedInProviderId(), FormState.Empty.WithErrors(outcome.Errors), ct));
                }

                return outcome.Error is { } refused ? Pages.Problem(refused) : Pages.Redirect($"{UploadPages.Path}/{outcome.Value!.Slug}");
            })
            .WithMetadata(new RequestSizeLimitAttribute(CreateTraineeUpload.BodyLimit));

        web.MapGet($"{UploadPages.Path}/template.csv", () =>
            Results.File(Encoding.UTF8.GetBytes(UploadFile.Template), "text/csv; charset=utf-8", "bulk_create_trainee.csv"));
    }

    private static async Task<PageModel> ModelAsync(NpgsqlDataSource db, Guid providerId, FormState form, CancellationToken ct)
    {
        var uploads = await ListTraineeUploads.LatestAsync(db, providerId, 10, ct);
        return new PageModel(form, uploads.Select(u =>
        {
            var (text, colour) = UploadPages.StatusTag(u.Status);
            return new UploadRow($"{UploadPages.Path}/{u.Slug}", u.FileName ?? "trainees.csv", text, colour, u.TotalRows, Formats.DateTime(u.CreatedAt));
        }).ToList());
    }
}
