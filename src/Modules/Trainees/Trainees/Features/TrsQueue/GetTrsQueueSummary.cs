using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks;

namespace Register.Trainees.Features.TrsQueue;

/// <summary>
/// <c>GET /support/trs-requests/summary</c>: the work Register owes TRS that is not done: how many requests of each kind, how
/// many pending, stuck and failed (<see cref="TrsQueue"/> says what each means), how many potential duplicates, and the oldest.
/// </summary>
internal static class GetTrsQueueSummary
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/trs-requests/summary", async (NpgsqlDataSource db, TimeProvider clock, CancellationToken ct) =>
                TypedResults.Ok(new TrsQueue.SummaryEnvelope(await TrsQueue.SummaryAsync(db, clock.UtcNowForDatabase(), ct))))
            .WithName("GetTrsQueueSummary")
            .WithSummary("The TRS requests not yet done: open by kind, pending, stuck, failed, potential duplicates, and the oldest")
            .Produces<TrsQueue.SummaryEnvelope>();
}
