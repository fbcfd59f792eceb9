using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Outbox;
using Register.Trainees.Api;
using Register.Trainees.Domain;
using Register.Trainees.Versions;

namespace Register.Trainees.Features.Trs;

/// <summary>
/// Does the work owed to TRS when it falls due: asks the port for a TRN (the trainee gets it and, if still submitted,
/// becomes <c>trn_received</c>; a deferred or withdrawn trainee keeps its state) or an award (a recommended trainee becomes
/// <c>awarded</c> with <c>awarded_at</c>). Each request is taken with SKIP LOCKED, so two workers never do one twice; one TRS
/// cannot answer yet, or fails, is asked again later. Runs every <c>Trs:PollInterval</c>; tests call <see cref="ProcessDueAsync"/>.
/// </summary>
internal sealed class TrsWorker(
    TransactionRunner transactions, OutboxDispatcher outbox, ITeachingRegulationService trs, NpgsqlDataSource db, RegisterDatabase database, TimeProvider clock, IOptions<TrsOptions> options,
    ILogger<TrsWorker> logger) : BackgroundService
{
    public static Actor Actor { get; } = Actor.SystemTask("Teaching Regulation Service");

    /// <summary>Does every request due now, each in its own transaction, then publishes their notifications once; returns how many were done.</summary>
    public async Task<int> ProcessDueAsync(CancellationToken ct)
    {
        var done = 0;
        while (!ct.IsCancellationRequested && await ProcessOneAsync(ct))
        {
            done++;
        }

        if (done > 0)
        {
            await outbox.DispatchAfterCommitAsync(TraineesModule.Schema, CancellationToken.None);
        }

        return done;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Without the simulator there is no TRS client: the work waits in trainees.trs_requests.
        if (!options.Value.BackgroundProcessing || !options.Value.Simulator)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.PollInterval, clock);
        do
        {
            try
            {
                if (database.IsMigrated)
                {
                    await ProcessDueAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Whatever failed (the database away, a bug), the worker lives on and tries again at the next tick.
                logger.LogFailedRound(ex, "TRS work failed; trying again in {Interval}", options.Value.PollInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>
    /// One due request, or false when none is due. A request whose work fails in a way TRS's answer does not explain (a bug,
    /// a database error) is put off with a backoff in a transaction of its own, so it cannot hold up the requests behind it.
    /// </summary>
    private async Task<bool> ProcessOneAsync(CancellationToken ct)
    {
        Request? taken = null;
        try
        {
            return await transactions.RunWithoutDispatchAsync(TraineesModule.Schema, async tx =>
            {
                taken = null;
                return await DoOneAsync(tx, request => taken = request, ct);
            }, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && taken is not null && ex is not OperationCanceledException)
        {
            logger.LogError(ex, "TRS request {Request} for trainee {TraineeId} failed; trying again later", taken.Id, taken.TraineeId);
            await using var connection = await db.OpenConnectionAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE trainees.trs_requests SET due_at = @retry, attempts = attempts + 1, last_error = @error WHERE id = @Id AND completed_at IS NULL",
                new { taken.Id, retry = clock.UtcNowForDatabase() + Backoff(taken.Attempts), error = ex.Message }, cancellationToken: ct));
            return true;
        }
    }

    private async Task<bool> DoOneAsync(NpgsqlTransaction tx, Action<Request> taking, CancellationToken ct)
    {
        var connection = tx.Connection!;
        var now = clock.UtcNowForDatabase();
        var request = await connection.QuerySingleOrDefaultAsync<Request>(new CommandDefinition(
            """
            SELECT id, trainee_id, kind, attempts FROM trainees.trs_requests
            WHERE completed_at IS NULL AND due_at <= @now ORDER BY due_at, id LIMIT 1 FOR UPDATE SKIP LOCKED
            """,
            new { now }, tx, cancellationToken: ct));
        if (request is null)
        {
            return false;
        }

        taking(request);
        var trainee = await connection.QuerySingleOrDefaultAsync<Trainee>(new CommandDefinition(
            TraineeStore.Select("t.id = @TraineeId", "FOR UPDATE OF t"), request, tx, cancellationToken: ct));
        try
        {
            var finished = trainee is null || trainee.DiscardedAt is not null || (request.Kind == TrsRequests.Trn
                ? await ReceiveTrnAsync(tx, trainee, now, ct)
                : await AwardAsync(tx, trainee, now, ct));
            await connection.ExecuteAsync(new CommandDefinition(
                finished
                    ? "UPDATE trainees.trs_requests SET completed_at = @now, attempts = attempts + 1 WHERE id = @Id"
                    : "UPDATE trainees.trs_requests SET due_at = @retry, attempts = attempts + 1 WHERE id = @Id",
                new { request.Id, now, retry = now + options.Value.PollInterval }, tx, cancellationToken: ct));
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException)
        {
            logger.LogWarning(ex, "TRS did not answer for trainee {TraineeId}; asking again later", request.TraineeId);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE trainees.trs_requests SET due_at = @retry, attempts = attempts + 1, last_error = @error WHERE id = @Id",
                new { request.Id, retry = now + Backoff(request.Attempts), error = ex.Message }, tx, cancellationToken: ct));
        }

        return true;
    }

    private async Task<bool> ReceiveTrnAsync(NpgsqlTransaction tx, Trainee trainee, DateTimeOffset now, CancellationToken ct)
    {
        if (trainee.Trn is not null)
        {
            return true;
        }

        var trn = await trs.RequestTrnAsync(trainee, ct);
        if (trn is null)
        {
            return false;
        }

        var state = trainee.State == TraineeStates.SubmittedForTrn ? TraineeStates.TrnReceived : trainee.State;
        await ChangedAsync(tx, trainee, trainee with { Trn = trn, State = state, UpdatedAt = now }, TraineeEvents.TrnReceived, now, ct);
        return true;
    }

    private async Task<bool> AwardAsync(NpgsqlTransaction tx, Trainee trainee, DateTimeOffset now, CancellationToken ct)
    {
        if (trainee.State != TraineeStates.RecommendedForAward)
        {
            return true;
        }

        if (await trs.RequestAwardAsync(trainee, ct) is not { } awardedAt)
        {
            return false;
        }

        await ChangedAsync(tx, trainee, trainee with { State = TraineeStates.Awarded, AwardedAt = DatabaseTime.ForDatabase(awardedAt), UpdatedAt = now }, TraineeEvents.Awarded, now, ct);
        return true;
    }

    /// <summary>Writes what TRS moved, and its notification.</summary>
    private static async Task ChangedAsync(NpgsqlTransaction tx, Trainee before, Trainee after, string action, DateTimeOffset now, CancellationToken ct)
    {
        await TraineeStore.UpdateLifecycleAsync(tx, after, ct);
        await TraineeEvents.EnqueueAsync(tx, TraineeEvents.Trainee, after, action, Actor, TraineeEvents.TraineeChanges(before, after), now, ct);
    }

    private static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(3600, 30 * Math.Pow(2, Math.Min(attempts, 7))));

    private sealed record Request
    {
        public Guid Id { get; init; }

        public Guid TraineeId { get; init; }

        public string Kind { get; init; } = "";

        public int Attempts { get; init; }
    }
}
