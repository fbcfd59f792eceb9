using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.BuildingBlocks.Web;

namespace Register.Trainees.Features.Uploads;

/// <summary><c>GET /bulk-update/add-trainees/fields</c> (and <c>fields.csv</c>): the guidance on each column of the CSV template.</summary>
public sealed partial class UploadFieldsPage
{
    public sealed record FieldRow(string Column, string Required, string Format, string Description);

    public sealed record PageModel(IReadOnlyList<FieldRow> Fields);

    [Parameter, EditorRequired] public PageModel Model { get; set; } = default!;

    internal static void Map(RouteGroupBuilder web)
    {
        web.MapGet($"{UploadPages.Path}/fields", (HttpContext http) =>
            Pages.Show<UploadFieldsPage>(http, new PageModel(UploadFieldGuide.Fields.Select(f => new FieldRow(f.Column, f.Required, f.Format, f.Description)).ToList())));
        web.MapGet($"{UploadPages.Path}/fields.csv", () =>
            Results.File(Encoding.UTF8.GetBytes(UploadFieldGuide.Csv()), "text/csv; charset=utf-8", "bulk_create_trainee_fields.csv"));
    }
}
