using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Http;
using Register.Providers.Domain;

namespace Register.Providers.Features.Providers;

/// <summary>
/// <c>GET /support/providers</c>: providers by operating name, 25 a page. <c>search</c> matches names, code,
/// UKPRN and URN by word prefix; filters <c>provider_type</c> and <c>accreditation_status</c> and
/// <c>academic_year</c> (comma-separated, any of), <c>include_archived</c>, <c>data_issues</c>. Deleted
/// providers never appear.
/// </summary>
internal static class ListProviders
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/providers", HandleAsync)
            .WithName("ListProviders")
            .WithSummary("Search and filter providers")
            .WithQueryParameter("search", "string", "Words in the operating or legal name, or a UKPRN, URN or accredited provider number")
            .WithQueryParameter("provider_type", "string", "Only providers of these types: a comma list of hei, scitt, school, other")
            .WithQueryParameter("accreditation_status", "string", "A comma list of accredited, unaccredited")
            .WithQueryParameter("academic_year", "string", "Only providers active in any of these academic years: a comma list of the years they start in, such as 2025,2026")
            .WithQueryParameter("include_archived", "boolean", "Archived providers too (false by default)")
            .WithQueryParameter("data_issues", "boolean", "Only providers with a data issue to fix")
            .WithPageParameters(25, 100)
            .Produces<Page<ProviderResponse>>()
            .Produces(StatusCodes.Status400BadRequest);

    private static async Task<IResult> HandleAsync(
        string? search, string? provider_type, string? accreditation_status, string? academic_year, string? include_archived, string? data_issues,
        string? page, string? per_page, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        if (!PageRequest.TryParse(page, per_page, defaultPerPage: 25, maxPerPage: 100, out var paging, out var pagingError))
        {
            return pagingError!;
        }

        var types = List(provider_type);
        if (types.FirstOrDefault(t => !ProviderTypes.All.Contains(t)) is { } badType)
        {
            return ApiErrors.BadRequest($"provider_type '{badType}' is not included in the list (hei, scitt, school, other)", "provider_type");
        }

        var statuses = List(accreditation_status);
        if (statuses.FirstOrDefault(s => !ProviderTypes.Statuses.Contains(s)) is { } badStatus)
        {
            return ApiErrors.BadRequest($"accreditation_status '{badStatus}' is not included in the list (accredited, unaccredited)", "accreditation_status");
        }

        var years = new List<int>();
        foreach (var year in List(academic_year))
        {
            if (!int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var y) || y is < 2000 or > 2100)
            {
                return ApiErrors.BadRequest($"academic_year '{year}' must be a year like 2025", "academic_year");
            }

            years.Add(y);
        }

        if (!TryFlag(include_archived, out var includeArchived) || !TryFlag(data_issues, out var onlyDataIssues))
        {
            return ApiErrors.BadRequest("include_archived and data_issues must be true or false", include_archived is null ? "data_issues" : "include_archived");
        }

        var today = clock.TodayInLondon();
        var (providers, total) = await ProviderSearch.PageAsync(db, new ProviderSearch.Filters(search, types, statuses, years, includeArchived, onlyDataIssues), paging, today, ct);
        return TypedResults.Ok(new Page<ProviderResponse>(
            providers.Select(p => ProviderResponse.Summary(p, today)).ToList(), Pagination.Of(paging.Page, paging.PerPage, total)));
    }

    private static List<string> List(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static bool TryFlag(string? value, out bool flag)
    {
        flag = false;
        return value is null || bool.TryParse(value, out flag);
    }
}
