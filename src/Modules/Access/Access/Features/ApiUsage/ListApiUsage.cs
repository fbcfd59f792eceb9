using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;

namespace Register.Access.Features.ApiUsage;

/// <summary>
/// <c>GET /support/api-usage</c>: the API clients' requests per London day, endpoint and status class (ADR 13), newest day
/// first, 500 a page. Filters: <c>from</c> and <c>to</c> (London days, inclusive; the last 30 days by default, at most
/// 13 months), <c>client_id</c>, <c>audience</c>. Deleted clients are left out.
/// </summary>
internal static class ListApiUsage
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/api-usage", HandleAsync)
            .WithName("ListApiUsage")
            .WithSummary("API clients' requests per day, endpoint and status class")
            .WithUsageFilters()
            .WithPageParameters(500, 5000)
            .Produces<ApiUsagePage>()
            .WithResponseExample(StatusCodes.Status200OK, new ApiUsagePage(
                [
                    new(ApiUsageExamples.Client, "Acme SRS", ApiAudiences.TraineesApi, ApiUsageExamples.Provider, new DateOnly(2026, 9, 14), "/api/v2026.1/trainees", "2xx", 118),
                    new(ApiUsageExamples.Client, "Acme SRS", ApiAudiences.TraineesApi, ApiUsageExamples.Provider, new DateOnly(2026, 9, 14), "/api/v2026.1/trainees", "4xx", 3),
                ],
                new UsagePeriod(new DateOnly(2026, 8, 16), new DateOnly(2026, 9, 14)),
                Pagination.Of(1, 500, 2)))
            .Produces(StatusCodes.Status400BadRequest)
            .Produces(StatusCodes.Status404NotFound);

    /// <summary>The query parameters both usage answers read.</summary>
    public static RouteHandlerBuilder WithUsageFilters(this RouteHandlerBuilder builder) => builder
        .WithQueryParameter("from", "string", "The first London day counted (YYYY-MM-DD); by default 29 days before to", format: "date")
        .WithQueryParameter("to", "string", "The last London day counted (YYYY-MM-DD), at most 13 months after from; by default today", format: "date")
        .WithQueryParameter("client_id", "string", "Only this API client", format: "uuid")
        .WithQueryParameter("audience", "string", "Only clients of this audience", values: ApiAudiences.All);

    private static async Task<IResult> HandleAsync(
        string? from, string? to, string? client_id, string? audience, string? page, string? per_page, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        if (!PageRequest.TryParse(page, per_page, defaultPerPage: 500, maxPerPage: 5000, out var paging, out var pageError))
        {
            return pageError!;
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        var (filter, error) = await ApiUsageReport.ParseAsync(from, to, client_id, audience, connection, clock.TodayInLondon(), ct);
        if (filter is null)
        {
            return error!;
        }

        var (rows, total) = await ApiUsageReport.RowsAsync(connection, filter, paging, ct);
        return TypedResults.Ok(new ApiUsagePage(
            rows.Select(r => new ApiUsageResponse(
                r.ClientId, r.ClientName, r.Audience, r.OrganisationId, r.Day, r.Endpoint, ApiUsageReport.StatusClass(r.StatusClass), r.Requests)).ToList(),
            new UsagePeriod(filter.From, filter.To),
            Pagination.Of(paging.Page, paging.PerPage, total)));
    }
}

internal static class ApiUsageExamples
{
    public static readonly Guid Client = Guid.Parse("0b7c1b2e-8a6c-4c9e-9d55-8d1f7c7a0001");

    public static readonly Guid Provider = Guid.Parse("5f0e7d1c-2b3a-4c5d-8e9f-0a1b2c3d4e5f");
}
