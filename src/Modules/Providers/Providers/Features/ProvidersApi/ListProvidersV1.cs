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
/// in a stable order (updated_at, then id), <c>per_page</c> 50 by default and 200 at most.
/// </summary>
internal static class ListProvidersV1
{
    internal sealed record ProviderV1(
        string RotpId, string OperatingName, string? LegalName, string ProviderType, string AccreditationStatus, string Code, string Ukprn, string? Urn,
        DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? ArchivedAt);

    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/providers", HandleAsync)
            .WithName("ListProvidersV1")
            .WithSummary("Providers changed since a time, a page at a time, for incremental sync")
            .Produces<Page<ProviderV1>>()
            .Produces(StatusCodes.Status400BadRequest);

    private static async Task<IResult> HandleAsync(
        string? changed_since, string? academic_year, string? page, string? per_page, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        if (!PageRequest.TryParse(page, per_page, defaultPerPage: 50, maxPerPage: 200, out var paging, out var error)
            || !ProvidersApiParameters.TryChangedSince(changed_since, out var changedSince, out error))
        {
            return error!;
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
        var parameters = new { changedSince, years, today = clock.TodayInLondon(), paging.PerPage, paging.Offset };
        await using var connection = await db.OpenConnectionAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT count(*) FROM providers.providers WHERE {where}", parameters, cancellationToken: ct));
        var providers = await connection.QueryAsync<Provider>(new CommandDefinition(
            $"SELECT {Provider.Columns} FROM providers.providers WHERE {where} ORDER BY updated_at, id LIMIT @PerPage OFFSET @Offset",
            parameters, cancellationToken: ct));
        return TypedResults.Ok(new Page<ProviderV1>(
            providers.Select(p => new ProviderV1(
                p.RotpId, p.OperatingName, p.LegalName, p.ProviderType, p.AccreditationStatus, p.Code, p.Ukprn, p.Urn, p.CreatedAt, p.UpdatedAt, p.ArchivedAt)).ToList(),
            Pagination.Of(paging.Page, paging.PerPage, total)));
    }
}
