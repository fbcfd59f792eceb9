using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Web;
using Register.Trainees.Contracts;

namespace Register.ActivityLog.Features.PersonalData;

/// <summary>
/// <c>GET /personal-data-reads</c>, for system admins (ADR 16): support's reads of trainees' personal data, newest first, 25 a
/// page: when, who (a person or a support API client), which trainee (by the <c>trainee_id</c> the trainee API shows) and the
/// page or endpoint they opened.
/// </summary>
public sealed partial class PersonalDataReadsPage
{
    public sealed record Row(string At, string Reader, string ReaderKind, string Trainee, bool Erased, string Path);

    public sealed record PageModel(IReadOnlyList<Row> Reads, long Total, int Page, int TotalPages);

    [Parameter, EditorRequired] public PageModel Model { get; set; } = default!;

    internal static void Map(RouteGroupBuilder web) =>
        web.MapGet("/personal-data-reads", async (HttpContext http, string? page, NpgsqlDataSource db, ISender sender, CancellationToken ct) =>
        {
            if (!PageRequest.TryParse(page, null, PersonalDataReads.PageSize, PersonalDataReads.PageSize, out var paging, out _))
            {
                return Pages.NotFound();
            }

            var (reads, total) = await PersonalDataReads.PageAsync(db, paging.Page, ct);
            var trainees = (await sender.Send(new GetTraineeReferences(reads.Select(r => r.RecordId).Distinct().ToList()), ct)).ToDictionary(t => t.Id);
            var rows = reads.Select(r =>
            {
                var trainee = trainees.GetValueOrDefault(r.RecordId);
                return new Row(
                    Formats.DateTime(r.ReadAt), r.ActorName, r.ActorType == "user" ? "Support user" : "Support API client",
                    trainee?.TraineeId ?? r.RecordId.ToString(), trainee?.ErasedAt is not null, r.Path);
            }).ToList();
            return Pages.Show<PersonalDataReadsPage>(http, new PageModel(rows, total, paging.Page, Pagination.Of(paging.Page, PersonalDataReads.PageSize, total).TotalPages));
        });
}
