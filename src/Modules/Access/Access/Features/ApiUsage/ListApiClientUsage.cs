using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Http;

namespace Register.Access.Features.ApiUsage;

/// <summary>
/// <c>GET /support/api-usage/clients</c>: each API client (not deleted) the filters name, by name, with its requests,
/// errors (4xx and 5xx) and error rate over the London days asked for (the last 30 by default), and when it was last used;
/// clients that made no request are there with zeros.
/// </summary>
internal static class ListApiClientUsage
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/api-usage/clients", HandleAsync)
            .WithName("ListApiClientUsage")
            .WithSummary("Each API client's requests, errors and error rate")
            .WithUsageFilters()
            .Produces<ApiClientUsagePage>()
            .WithResponseExample(StatusCodes.Status200OK, new ApiClientUsagePage(
                [
                    new(ApiUsageExamples.Client, "Acme SRS", "trainees_api", ApiUsageExamples.Provider, "active", 2410, 12, 0.005,
                        new DateTimeOffset(2026, 9, 14, 8, 2, 11, TimeSpan.Zero)),
                ],
                new UsagePeriod(new DateOnly(2026, 8, 16), new DateOnly(2026, 9, 14))))
            .Produces(StatusCodes.Status400BadRequest)
            .Produces(StatusCodes.Status404NotFound);

    private static async Task<IResult> HandleAsync(
        string? from, string? to, string? client_id, string? audience, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var today = clock.TodayInLondon();
        var (filter, error) = await ApiUsageReport.ParseAsync(from, to, client_id, audience, connection, today, ct);
        if (filter is null)
        {
            return error!;
        }

        var clients = await ApiUsageReport.ClientsAsync(connection, filter, null, ct);
        return TypedResults.Ok(new ApiClientUsagePage(
            clients.Select(c => new ApiClientUsageResponse(
                c.Id, c.Name, c.Audience, c.OrganisationId, c.Status(today), c.Requests, c.Errors, ApiUsageReport.ErrorRate(c.Requests, c.Errors), c.LastUsedAt)).ToList(),
            new UsagePeriod(filter.From, filter.To)));
    }
}
