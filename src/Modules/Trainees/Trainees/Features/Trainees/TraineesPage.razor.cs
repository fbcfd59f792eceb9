using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Components;
using Register.BuildingBlocks.Web.Forms;
using Register.Trainees.Domain;

namespace Register.Trainees.Features.Trainees;

/// <summary>
/// <c>GET /trainees</c> (provider users): "Registered trainees (N)", the signed-in user's provider's trainees, searched by
/// name or TRN (<c>search</c>) and filtered by status (<c>status</c>, the module's states) and academic year
/// (<c>academic_year</c>, of the ITT start) with removable tags and "Clear filters", 25 a page, most recently updated
/// first. A GET form: it works without JavaScript. The query is <see cref="TraineeSearch"/>.
/// </summary>
public sealed partial class TraineesPage
{
    public const int PageSize = 25;

    public sealed record Row(string TraineeId, string Name, string? Trn, string Route, string? Subject, string StartDate, string Status, string? StatusColour);

    public sealed record FilterTag(string Text, string RemoveHref);

    public sealed record FilterGroup(string Title, IReadOnlyList<FilterTag> Tags);

    public sealed record PageModel(
        IReadOnlyList<Row> Trainees, long Total, int Page, int TotalPages, long From, long To, Func<int, string> PageHref, string? Search, FormState Form,
        IReadOnlyList<Choice> StatusChoices, IReadOnlyList<Choice> YearChoices, IReadOnlyList<FilterGroup> Selected, string ClearFiltersHref,
        string ClearSearchHref, IReadOnlyList<(string Name, string Value)> FilterFields);

    [Parameter, EditorRequired] public PageModel Model { get; set; } = default!;

    internal static void Map(RouteGroupBuilder web) =>
        web.MapGet("/trainees", async (HttpContext http, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct) =>
        {
            var providerId = http.SignedInProviderId();
            var query = http.Request.Query;
            var today = clock.TodayInLondon();
            var search = string.IsNullOrWhiteSpace(query["search"]) ? null : query["search"].ToString().Trim();
            if (search is { Length: > 200 })
            {
                search = search[..200];
            }

            var states = query["status"].Where(v => v is not null && TraineeLabels.States.Any(s => s.State == v)).Select(v => v!).Distinct().ToList();
            var current = AcademicCycles.Of(today);
            var years = query["academic_year"]
                .Select(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y >= 2000 && y <= current + 5 ? y : (int?)null)
                .OfType<int>().Distinct().ToList();
            if (!PageRequest.TryParse(query["page"].FirstOrDefault(), null, PageSize, PageSize, out var paging, out _))
            {
                paging = new PageRequest(1, PageSize);
            }

            await using var connection = await db.OpenConnectionAsync(ct);
            var (trainees, total) = await TraineeSearch.PageAsync(connection, providerId, new TraineeSearch.Filters(search, states, years), paging, ct);
            var yearChoices = (await TraineeSearch.YearsAsync(connection, providerId, ct)).Append(current).Concat(years).Distinct().OrderDescending().ToList();

            var fields = new List<(string Name, string Value)>();
            fields.AddRange(states.Select(s => ("status", s)));
            fields.AddRange(years.Select(y => ("academic_year", Year(y))));
            var withSearch = search is null ? fields : [("search", search), .. fields];
            string Href(IEnumerable<(string Name, string Value)> parameters) =>
                QueryHelpers.AddQueryString("/trainees", parameters.Select(p => new KeyValuePair<string, string?>(p.Name, p.Value)));
            FilterTag Tag(string text, string name, string value) => new(text, Href(withSearch.Where(f => f != (name, value))));

            var selected = new List<FilterGroup>();
            if (states.Count > 0)
            {
                selected.Add(new FilterGroup("Status", states.Select(s => Tag(TraineeLabels.States.First(x => x.State == s).Label, "status", s)).ToList()));
            }

            if (years.Count > 0)
            {
                selected.Add(new FilterGroup("Academic year", years.Select(y => Tag(Formats.AcademicYear(y, today), "academic_year", Year(y))).ToList()));
            }

            var pages = Pagination.Of(paging.Page, PageSize, total).TotalPages;
            return Pages.Show<TraineesPage>(http, new PageModel(
                trainees.Select(ToRow).ToList(), total, paging.Page, pages,
                Math.Min(total, paging.Offset + 1), Math.Min(total, paging.Offset + PageSize),
                page => Href([.. withSearch, ("page", page.ToString(CultureInfo.InvariantCulture))]),
                search,
                FormState.Of([], [new("status", states), new("academic_year", years.Select(Year).ToList())]),
                TraineeLabels.States.Select(s => new Choice(s.State, s.Label)).ToList(),
                yearChoices.Select(y => new Choice(Year(y), Formats.AcademicYear(y, today))).ToList(),
                selected,
                Href(search is null ? [] : [("search", search)]),
                Href(fields),
                fields));
        });

    private static string Year(int year) => year.ToString(CultureInfo.InvariantCulture);

    private static Row ToRow(Trainee t)
    {
        var (status, colour) = TraineeLabels.Status(t.State, t.TrainingRoute);
        return new Row(t.Slug, TraineeLabels.Name(t), t.Trn, TraineeLabels.Route(t.TrainingRoute), TraineeLabels.Subject(t.CourseSubject1),
            Formats.Date(t.IttStartDate), status, colour);
    }
}
