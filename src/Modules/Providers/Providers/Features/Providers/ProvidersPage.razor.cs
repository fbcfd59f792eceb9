using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Components;
using Register.BuildingBlocks.Web.Forms;
using Register.Providers.Domain;

namespace Register.Providers.Features.Providers;

/// <summary>
/// <c>GET /providers</c>: "Providers (N)", searched by name, code, UKPRN or URN (<c>keywords</c>) and filtered by type,
/// accreditation status, academic year and archived (removable tags, "Clear filters"), 10 a page, by name. The same
/// search as <c>GET /support/providers</c> (<see cref="ProviderSearch"/>).
/// </summary>
public sealed partial class ProvidersPage
{
    public const int PageSize = 10;

    public sealed record Card(
        Guid Id, string OperatingName, bool Archived, string Code, string? Ukprn, string? Urn, string RotpId, string Type, string Status, string? LegalName,
        IReadOnlyList<string> Years);

    public sealed record FilterTag(string Text, string RemoveHref);

    public sealed record FilterGroup(string Title, IReadOnlyList<FilterTag> Tags);

    public sealed record PageModel(
        IReadOnlyList<Card> Providers, long Total, int Page, int TotalPages, long From, long To, Func<int, string> PageHref, string? Keywords, FormState Form,
        IReadOnlyList<Choice> YearChoices, IReadOnlyList<FilterGroup> Selected, string ClearFiltersHref, string ClearSearchHref,
        IReadOnlyList<(string Name, string Value)> FilterFields, bool Debug);

    [Parameter, EditorRequired] public PageModel Model { get; set; } = default!;

    internal static void Map(RouteGroupBuilder web) =>
        web.MapGet("/providers", async (HttpContext http, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct) =>
        {
            var query = http.Request.Query;
            var today = clock.TodayInLondon();
            var keywords = string.IsNullOrWhiteSpace(query["keywords"]) ? null : query["keywords"].ToString().Trim();
            var types = Values(query, "provider_type", ["hei", "scitt_or_school", "other"]);
            var statuses = Values(query, "accreditation_status", ProviderTypes.Statuses);
            var yearChoices = ProviderLabels.FilterYears(today);
            var years = Values(query, "academic_year", yearChoices.Select(y => y.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
            var includeArchived = query["include_archived"] == "true";
            var debug = query["debug"] == "true";
            var dataIssues = debug && query["data_issues"] == "true";
            if (!PageRequest.TryParse(query["page"].FirstOrDefault(), null, PageSize, PageSize, out var paging, out _))
            {
                paging = new PageRequest(1, PageSize);
            }

            var filters = new ProviderSearch.Filters(
                keywords, types.SelectMany(t => t == "scitt_or_school" ? new[] { ProviderTypes.Scitt, ProviderTypes.School } : [t]).ToList(), statuses,
                years.Select(y => int.Parse(y, System.Globalization.CultureInfo.InvariantCulture)).ToList(), includeArchived, dataIssues);
            var (providers, total) = await ProviderSearch.PageAsync(db, filters, paging, today, ct);

            var fields = new List<(string Name, string Value)>();
            fields.AddRange(types.Select(t => ("provider_type", t)));
            fields.AddRange(statuses.Select(s => ("accreditation_status", s)));
            fields.AddRange(years.Select(y => ("academic_year", y)));
            if (includeArchived)
            {
                fields.Add(("include_archived", "true"));
            }

            if (debug)
            {
                fields.Add(("debug", "true"));
            }

            if (dataIssues)
            {
                fields.Add(("data_issues", "true"));
            }

            var withKeywords = keywords is null ? fields : [("keywords", keywords), .. fields];
            string Href(IEnumerable<(string Name, string Value)> parameters) =>
                QueryHelpers.AddQueryString("/providers", parameters.Select(p => new KeyValuePair<string, string?>(p.Name, p.Value)));
            FilterTag Tag(string text, string name, string value) => new(text, Href(withKeywords.Where(f => f != (name, value))));

            var selected = new List<FilterGroup>();
            void Group(string title, IEnumerable<FilterTag> tags)
            {
                var list = tags.ToList();
                if (list.Count > 0)
                {
                    selected.Add(new FilterGroup(title, list));
                }
            }

            Group("Provider type", types.Select(t => Tag(t switch { "hei" => "Higher education institution (HEI)", "scitt_or_school" => "School", _ => "Other" }, "provider_type", t)));
            Group("Accreditation status", statuses.Select(s => Tag(ProviderLabels.Status(s), "accreditation_status", s)));
            Group("Academic year", years.Select(y => Tag(Formats.AcademicYear(int.Parse(y, System.Globalization.CultureInfo.InvariantCulture), today), "academic_year", y)));
            Group("Archived providers", includeArchived ? [Tag("Include archived providers", "include_archived", "true")] : []);
            Group("Seed data", dataIssues ? [Tag("Only show providers with data issues", "data_issues", "true")] : []);

            var pages = Pagination.Of(paging.Page, PageSize, total).TotalPages;
            return Pages.Show<ProvidersPage>(http, new PageModel(
                providers.Select(p => ToCard(p, today)).ToList(), total, paging.Page, pages,
                Math.Min(total, paging.Offset + 1), Math.Min(total, paging.Offset + PageSize),
                page => Href([.. withKeywords, ("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture))]),
                keywords,
                FormState.Of([], [new("provider_type", types), new("accreditation_status", statuses), new("academic_year", years), new("include_archived", includeArchived ? ["true"] : []), new("data_issues", dataIssues ? ["true"] : [])]),
                yearChoices.Select(y => new Choice(y.ToString(System.Globalization.CultureInfo.InvariantCulture), Formats.AcademicYear(y, today))).ToList(),
                selected,
                Href(keywords is null ? [] : [("keywords", keywords)]),
                Href(fields),
                fields,
                debug));
        });

    private static Card ToCard(Provider p, DateOnly today) => new(
        p.Id, p.OperatingName, p.IsArchived, p.Code, string.IsNullOrEmpty(p.Ukprn) ? null : p.Ukprn, p.Urn, p.RotpId, ProviderLabels.Type(p.ProviderType),
        ProviderLabels.Status(p.AccreditationStatus), p.LegalName, ProviderLabels.Years(AcademicYears.Active(p.FirstActiveOn, p.InactivePeriods, today), today));

    /// <summary>The values of a repeated query parameter that are among <paramref name="allowed"/> (anything else is ignored).</summary>
    private static List<string> Values(IQueryCollection query, string name, IReadOnlyCollection<string> allowed) =>
        query[name].Where(v => v is not null && allowed.Contains(v)).Select(v => v!).Distinct().ToList();
}
