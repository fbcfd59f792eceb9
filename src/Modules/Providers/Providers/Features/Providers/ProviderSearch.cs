using Dapper;
using Mediator;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Http;
using Register.Providers.Contracts;
using Register.Providers.Domain;

namespace Register.Providers.Features.Providers;

/// <summary>
/// The provider list's search and filters, shared by <c>GET /support/providers</c>, the providers page and the
/// partnership pages' partner search: names, code, UKPRN and URN by word prefix (PostgreSQL full-text search), types,
/// statuses, academic years (any of), archived or not, data issues. Deleted providers never appear. By operating name.
/// </summary>
internal static class ProviderSearch
{
    internal sealed record Filters(
        string? Search, IReadOnlyList<string> Types, IReadOnlyList<string> Statuses, IReadOnlyList<int> Years, bool IncludeArchived, bool OnlyDataIssues);

    public static async Task<(IReadOnlyList<Provider> Providers, long Total)> PageAsync(
        NpgsqlDataSource db, Filters filters, PageRequest paging, DateOnly today, CancellationToken ct)
    {
        var query = SearchText.Query(filters.Search);
        var where = string.Join(" AND ", new[]
        {
            "deleted_at IS NULL",
            filters.IncludeArchived ? null : "archived_at IS NULL",
            filters.OnlyDataIssues ? "seed_data_with_issues" : null,
            query is null ? null : "searchable @@ to_tsquery('simple', @query)",
            filters.Types.Count == 0 ? null : "provider_type = ANY(@types)",
            filters.Statuses.Count == 0 ? null : "accreditation_status = ANY(@statuses)",
            filters.Years.Count == 0 ? null : ProviderQueries.ActiveInAnyYear,
        }.Where(c => c is not null));
        var parameters = new { query, types = filters.Types.ToArray(), statuses = filters.Statuses.ToArray(), years = filters.Years.ToArray(), today, paging.PerPage, paging.Offset };

        await using var connection = await db.OpenConnectionAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT count(*) FROM providers.providers WHERE {where}", parameters, cancellationToken: ct));
        var providers = await connection.QueryAsync<Provider>(new CommandDefinition(
            $"SELECT {Provider.Columns} FROM providers.providers WHERE {where} ORDER BY lower(operating_name), id LIMIT @PerPage OFFSET @Offset",
            parameters, cancellationToken: ct));
        return (providers.AsList(), total);
    }
}

/// <summary>Answers <see cref="SearchProviders"/> with the same search as the providers list.</summary>
internal sealed class SearchProvidersHandler(NpgsqlDataSource db, TimeProvider clock) : IRequestHandler<SearchProviders, IReadOnlyList<ProviderMatch>>
{
    public async ValueTask<IReadOnlyList<ProviderMatch>> Handle(SearchProviders request, CancellationToken cancellationToken)
    {
        if (SearchText.Query(request.Query) is null)
        {
            return [];
        }

        var filters = new ProviderSearch.Filters(request.Query, request.ProviderTypes ?? [], request.AccreditationStatus is { } s ? [s] : [], [], false, false);
        var (providers, _) = await ProviderSearch.PageAsync(db, filters, new PageRequest(1, Math.Clamp(request.Limit, 1, 100)), clock.TodayInLondon(), cancellationToken);
        return providers.Select(p => new ProviderMatch(p.Id, p.OperatingName, p.Code, p.Ukprn, p.Urn)).ToList();
    }
}

/// <summary>Answers <see cref="GetProviderHeading"/>.</summary>
internal sealed class GetProviderHeadingHandler(NpgsqlDataSource db) : IRequestHandler<GetProviderHeading, ProviderHeading?>
{
    public async ValueTask<ProviderHeading?> Handle(GetProviderHeading request, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await Provider.FindAsync(connection, request.ProviderId, null, cancellationToken) is { } p ? HeadingOf(p) : null;
    }

    /// <summary>What a page's heading shows of a provider (also <see cref="GetProviderHeadingsHandler"/>'s).</summary>
    internal static ProviderHeading HeadingOf(Provider p) => new(p.Id, p.OperatingName, p.ProviderType, p.AccreditationStatus, p.IsArchived);
}

/// <summary>Answers <see cref="GetProviderHeadings"/>.</summary>
internal sealed class GetProviderHeadingsHandler(NpgsqlDataSource db) : IRequestHandler<GetProviderHeadings, IReadOnlyList<ProviderHeading>>
{
    public async ValueTask<IReadOnlyList<ProviderHeading>> Handle(GetProviderHeadings request, CancellationToken cancellationToken)
    {
        if (request.ProviderIds.Count == 0)
        {
            return [];
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var providers = await connection.QueryAsync<Provider>(new CommandDefinition(
            $"SELECT {Provider.Columns} FROM providers.providers WHERE id = ANY(@ids) AND deleted_at IS NULL",
            new { ids = request.ProviderIds.Distinct().ToArray() }, cancellationToken: cancellationToken));
        return providers.Select(GetProviderHeadingHandler.HeadingOf).ToList();
    }
}
