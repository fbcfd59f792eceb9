using System.Globalization;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Http;
using Register.Providers.Domain;

namespace Register.Providers.Features.ProvidersApi;

/// <summary>
/// <c>GET /api/v1/providers</c>, for incremental sync: providers that are not deleted (archived ones included,
/// with <c>archived_at</c>), changed at or after <c>changed_since</c>, optionally active in <c>academic_year</c>,
/// in a stable order (updated_at, then id), <c>per_page</c> 50 by default and 200 at most. Pages by number, or
/// — safe while providers change — by <c>cursor</c>, the <c>next_cursor</c> of the previous page.
/// </summary>
internal static class ListProvidersV1
{
    internal sealed record ProviderV1(
        string RotpId, string OperatingName, string? LegalName, string ProviderType, string AccreditationStatus, string Code, string Ukprn, string? Urn,
        DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? ArchivedAt);

    internal sealed record SyncPagination(int? Page, int PerPage, long TotalCount, int TotalPages, string? NextCursor);

    /// <summary>Where a numbered page starts: its first provider's updated_at and id.</summary>
    private sealed record PageStart(DateTimeOffset UpdatedAt, Guid Id);

    internal sealed record SyncPage(IReadOnlyList<ProviderV1> Data, SyncPagination Pagination);

    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/providers", HandleAsync)
            .WithName("ListProvidersV1")
            .WithSummary("Providers changed since a time, a page at a time, for incremental sync")
            .WithQueryParameter("changed_since", "string", "Only providers changed at or after this time, in ISO 8601 (2026-01-01T00:00:00Z)", format: "date-time")
            .WithQueryParameter("academic_year", "integer", "Only providers active in the academic year starting in this year, such as 2026")
            .WithQueryParameter("cursor", "string", "The next_cursor of the previous page: pages that stay right while providers change")
            .WithPageParameters(50, 200)
            .Produces<SyncPage>()
            .WithResponseExample(StatusCodes.Status200OK, new SyncPage(
                [new ProviderV1("5f2b1c3d-6e7f-4a8b-9c0d-1e2f3a4b5c6d", "Example University", "The Example University", "hei", "accredited", "1234", "10000001", null,
                    new DateTimeOffset(2024, 3, 1, 9, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 9, 1, 8, 30, 0, TimeSpan.Zero), null)],
                new SyncPagination(null, 50, 1, 1, null)))
            .Produces(StatusCodes.Status400BadRequest);

    private static async Task<IResult> HandleAsync(
        string? changed_since, string? academic_year, string? page, string? per_page, string? cursor, NpgsqlDataSource db, LongLists lists, TimeProvider clock, CancellationToken ct)
    {
        if (!PageRequest.TryParse(page, per_page, defaultPerPage: 50, maxPerPage: 200, out var paging, out var error)
            || !ProvidersApiParameters.TryChangedSince(changed_since, out var changedSince, out error))
        {
            return error!;
        }

        DateTimeOffset? afterAt = null;
        Guid? afterId = null;
        if (cursor is not null)
        {
            if (!Cursor.TryDecode(cursor, out var at, out var id))
            {
                return ApiErrors.BadRequest("cursor is not one this API gave out: use the next_cursor of a previous page", "cursor");
            }

            (afterAt, afterId) = (at, id);
        }

        int[] years = [];
        if (!string.IsNullOrWhiteSpace(academic_year))
        {
            if (!int.TryParse(academic_year, NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year is < 2000 or > 2100)
            {
                return ApiErrors.BadRequest($"academic_year must be a year like 2025: '{academic_year}' is not", "academic_year");
            }

            years = [year];
        }

        var where = "deleted_at IS NULL AND (@changedSince::timestamptz IS NULL OR updated_at >= @changedSince)" +
                    (years.Length == 0 ? "" : $" AND {ProviderQueries.ActiveInAnyYear}");
        var today = clock.TodayInLondon();
        // Everything that selects the rows (today only matters to the academic year); the order is always updated_at, id.
        var list = $"providers-v1 {changedSince?.UtcTicks.ToString(CultureInfo.InvariantCulture) ?? "*"} {string.Join(',', years)}" +
                   (years.Length == 0 ? "" : $" {today:yyyy-MM-dd}");

        // Numbered pages of a long list start where this process last saw them start (LongLists); a cursor is its own seek.
        var start = cursor is null ? lists.StartOf<PageStart>(list, paging.Page, paging.PerPage) : null;
        if (start is not null)
        {
            (afterAt, afterId) = (start.UpdatedAt, start.Id);
        }

        var parameters = new { changedSince, years, today, paging.PerPage, Offset = cursor is null && start is null ? paging.Offset : 0, afterAt, afterId, limit = paging.PerPage + 1 };
        var seek = cursor is not null ? " AND (updated_at, id) > (@afterAt, @afterId)" : start is not null ? " AND (updated_at, id) >= (@afterAt, @afterId)" : "";
        await using var connection = await db.OpenConnectionAsync(ct);
        var total = await lists.TotalAsync(list, limit => connection.ExecuteScalarAsync<long>(new CommandDefinition(
            limit is null
                ? $"SELECT count(*) FROM providers.providers WHERE {where}"
                : $"SELECT count(*) FROM (SELECT 1 FROM providers.providers WHERE {where} LIMIT {limit.Value.ToString(CultureInfo.InvariantCulture)}) c",
            parameters, cancellationToken: ct)));
        var providers = (await connection.QueryAsync<Provider>(new CommandDefinition(
            $"SELECT {Provider.Columns} FROM providers.providers WHERE {where}{seek} ORDER BY updated_at, id LIMIT @limit OFFSET @Offset",
            parameters, cancellationToken: ct))).AsList();
        if (cursor is null && providers.Count > 0)
        {
            lists.Served(list, paging.Page, paging.PerPage, new PageStart(providers[0].UpdatedAt, providers[0].Id),
                providers.Count > paging.PerPage ? new PageStart(providers[^1].UpdatedAt, providers[^1].Id) : null);
        }

        var shown = providers.Take(paging.PerPage).ToList();
        var next = providers.Count > paging.PerPage ? Cursor.Encode(shown[^1].UpdatedAt, shown[^1].Id) : null;
        return TypedResults.Ok(new SyncPage(
            shown.Select(p => new ProviderV1(
                p.RotpId, p.OperatingName, p.LegalName, p.ProviderType, p.AccreditationStatus, p.Code, p.Ukprn, p.Urn, p.CreatedAt, p.UpdatedAt, p.ArchivedAt)).ToList(),
            new SyncPagination(cursor is null ? paging.Page : null, paging.PerPage, total, (int)((total + paging.PerPage - 1) / paging.PerPage), next)));
    }
}
