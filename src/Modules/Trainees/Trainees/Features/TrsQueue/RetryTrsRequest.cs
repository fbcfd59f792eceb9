using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Outbox;
using Register.BuildingBlocks.Security;
using Register.Trainees.Contracts;
using Register.Trainees.Features.Trs;

namespace Register.Trainees.Features.TrsQueue;

/// <summary>
/// <c>POST /support/trs-requests/{id}/retry</c>: an open request becomes due now: a failed one is failed no more, and its
/// attempts start again from 0 (so does its backoff); what it last got wrong stays until it is tried again. The TRS worker is
/// woken, so it goes at once (when the worker runs in this process; else at its next poll). The trainee's activity log
/// says who retried which request ("Trainee TRS request retried"). 404 for a request Register does not have, 409 for one
/// already done.
/// </summary>
internal static class RetryTrsRequest
{
    /// <summary>The activity item's action, on the trainee's record.</summary>
    public const string Action = "trs_request_retried";

    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/trs-requests/{id:guid}/retry", async (Guid id, HttpContext http, TransactionRunner transactions, TrsWorker worker, TimeProvider clock, CancellationToken ct) =>
                (await RunAsync(transactions, worker, id, http.Caller().Actor, clock, ct)).ToApiResult(r => TypedResults.Ok(new TrsQueue.RequestEnvelope(r))))
            .WithName("RetryTrsRequest")
            .WithSummary("Make an open TRS request due now (a failed one too), and wake the TRS worker")
            .Produces<TrsQueue.RequestEnvelope>()
            .Produces(StatusCodes.Status404NotFound)
            .Produces(StatusCodes.Status409Conflict);

    public static async Task<Outcome<TrsQueue.Request>> RunAsync(
        TransactionRunner transactions, TrsWorker worker, Guid id, Actor actor, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await transactions.RunAsync(TraineesModule.Schema, async tx =>
        {
            var connection = tx.Connection!;
            var now = clock.UtcNowForDatabase();
            // Waits while the worker has the request in hand, so the retry is written after its outcome, never under it.
            var found = await connection.QuerySingleOrDefaultAsync<Found>(new CommandDefinition(
                """
                SELECT r.id, r.kind, r.completed_at, t.id AS trainee_id, t.provider_id
                FROM trainees.trs_requests r JOIN trainees.trainees t ON t.id = r.trainee_id
                WHERE r.id = @id FOR UPDATE OF r
                """,
                new { id }, tx, cancellationToken: ct));
            if (found is null)
            {
                return (Outcome<TrsQueue.Request>)ApiErrors.NotFound("TRS request not found");
            }

            if (found.CompletedAt is not null)
            {
                return ApiErrors.Conflict("The TRS request is already done");
            }

            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE trainees.trs_requests SET failed_at = NULL, due_at = @now, attempts = 0 WHERE id = @id",
                new { id, now }, tx, cancellationToken: ct));
            await Outbox.EnqueueAsync(tx, TraineesModule.Schema, new TraineeChanged(
                EventIds.Next(now), now, TraineeRecords.Trainee, found.TraineeId, Action, actor, [new FieldChange("trs_request", null, found.Kind)], found.ProviderId), ct);
            return (await TrsQueue.FindAsync(connection, id, now, tx, ct))!.Value.Request;
        }, ct);
        if (outcome.Succeeded)
        {
            worker.Wake();
        }

        return outcome;
    }

    private sealed record Found
    {
        public Guid Id { get; init; }

        public string Kind { get; init; } = "";

        public DateTimeOffset? CompletedAt { get; init; }

        public Guid TraineeId { get; init; }

        public Guid ProviderId { get; init; }
    }
}
