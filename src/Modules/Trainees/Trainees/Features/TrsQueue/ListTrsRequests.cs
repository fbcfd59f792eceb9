using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Http;

namespace Register.Trainees.Features.TrsQueue;

/// <summary>
/// <c>GET /support/trs-requests</c>: the open TRS requests, oldest first, 25 a page; <c>state</c> (pending, stuck, failed,
/// potential_duplicate) and <c>kind</c> (trn, route, award, personal_data) filter, each a comma list (any of its values).
/// </summary>
internal static class ListTrsRequests
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/trs-requests", HandleAsync)
            .WithName("ListTrsRequests")
            .WithSummary("The TRS requests not yet done, oldest first")
            .WithQueryParameter("state", "string",
                $"Only requests in these states, a comma list of {string.Join(", ", TrsQueue.StateFilters)}: pending waits as it should; stuck needs a look "
                + $"({TrsQueue.StuckAttempts} or more attempts with an error, a potential duplicate for more than {TrsQueue.StuckDuplicate.TotalDays} days, "
                + $"or due more than {TrsQueue.StuckOverdue.TotalHours} hour ago); failed was refused by TRS and waits for a retry; potential_duplicate "
                + "is waiting for TRS's staff to check a match, whatever its state")
            .WithQueryParameter("kind", "string", $"Only requests of these kinds, a comma list of {string.Join(", ", TrsQueue.Kinds)}")
            .WithPageParameters(TrsQueue.DefaultPerPage, TrsQueue.MaxPerPage)
            .Produces<Page<TrsQueue.Request>>()
            .Produces(StatusCodes.Status400BadRequest);

    private static async Task<IResult> HandleAsync(HttpContext http, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        var query = http.Request.Query;
        if (!PageRequest.TryParse(query["page"].FirstOrDefault(), query["per_page"].FirstOrDefault(), TrsQueue.DefaultPerPage, TrsQueue.MaxPerPage, out var paging, out var error))
        {
            return error!;
        }

        if (TrsQueue.TryParseList(query["state"], "state", TrsQueue.StateFilters, out var states) is { } badState)
        {
            return badState;
        }

        if (TrsQueue.TryParseList(query["kind"], "kind", TrsQueue.Kinds, out var kinds) is { } badKind)
        {
            return badKind;
        }

        var (requests, total) = await TrsQueue.PageAsync(db, new TrsQueue.Filters(states, kinds), paging, clock.UtcNowForDatabase(), ct);
        return TypedResults.Ok(new Page<TrsQueue.Request>(requests, Pagination.Of(paging.Page, paging.PerPage, total)));
    }
}
