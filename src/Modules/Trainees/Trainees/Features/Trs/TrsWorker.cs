using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Jobs;
using Register.BuildingBlocks.Outbox;
using Register.Trainees.Api;
using Register.Trainees.Domain;
using Register.Trainees.Versions;

namespace Register.Trainees.Features.Trs;

/// <summary>
/// Does the work owed to TRS when it falls due (<c>trainees.trs_requests</c>), through the port (simulator or HTTP):
/// <list type="bullet">
/// <item><c>trn</c>: POSTs the TRN request with the id stored on the request (a retry reuses it); a Completed answer's TRN is
/// taken at once (the reference always polls), a Pending one is polled every <c>Trs:PollInterval</c>, each wait doubling up to
/// <c>Trs:MaxPollWait</c> (a potential duplicate is marked); 409/10029 (already asked) polls; a poll's 404/10031 asks again
/// with the same id. The TRN moves a submitted trainee to <c>trn_received</c> (a deferred or withdrawn one keeps its state)
/// and owes TRS the route.</item>
/// <item><c>route</c>: the route PUT with the status of the trainee's state when sent; <c>award</c>: the same with Holds, after
/// which a recommended trainee is <c>awarded</c> on its outcome date (as the reference; TRS gives no date). 10052 (already
/// Holds) counts as done.</item>
/// <item><c>personal_data</c>: the person PUT (not for a withdrawn or awarded trainee); 10041/10042 count as done.</item>
/// </list>
/// A refusal TRS explains (a 4xx with an error code, a validation problem) marks the request <c>failed_at</c> with
/// <c>last_error</c> (status, code, title: never a body), kept until support retries it or an edit owes it again; anything
/// else (5xx, 408, 429, a timeout, no connection, the circuit open) is tried again after a backoff, so nothing is lost
/// while TRS is down. A <see cref="BackgroundLoop"/>: each batch does up to <see cref="BatchSize"/> due requests, every
/// <c>Trs:PollInterval</c>. Each request is taken with <c>FOR UPDATE SKIP LOCKED</c> in the transaction that records its
/// outcome, so two workers never send one twice. Tests call <see cref="ProcessDueAsync"/>.
/// </summary>
internal sealed class TrsWorker(
    TransactionRunner transactions, OutboxDispatcher outbox, IServiceProvider services, NpgsqlDataSource db, RegisterDatabase database, TimeProvider clock,
    IOptions<TrsOptions> options, ILogger<TrsWorker> logger) : BackgroundLoop(database, clock, logger)
{
    /// <summary>The most requests one batch does.</summary>
    public const int BatchSize = 100;

    public static Actor Actor { get; } = Actor.SystemTask("Teaching Regulation Service");

    protected override string Name => "TRS worker";

    // Without TRS's URL and with the simulator turned off there is no TRS client: the work waits in trainees.trs_requests.
    protected override bool Enabled => options.Value.BackgroundProcessing && (options.Value.UsesHttp || options.Value.Simulator);

    /// <summary>Does every request due now, a batch at a time; returns how many were done.</summary>
    public async Task<int> ProcessDueAsync(CancellationToken ct)
    {
        var done = 0;
        int batch;
        do
        {
            batch = await RunBatchAsync(ct);
            done += batch;
        }
        while (batch >= BatchSize);

        return done;
    }

    /// <summary>Up to <see cref="BatchSize"/> due requests, each in its own transaction, then their notifications published once.</summary>
    protected override async Task<int> RunBatchAsync(CancellationToken ct)
    {
        var trs = services.GetRequiredService<ITeachingRegulationService>();
        var done = 0;
        while (done < BatchSize && !ct.IsCancellationRequested && await ProcessOneAsync(trs, ct))
        {
            done++;
        }

        if (done > 0)
        {
            await outbox.DispatchAfterCommitAsync(TraineesModule.Schema, CancellationToken.None);
        }

        return done;
    }

    protected override TimeSpan NextWait(int done) => done >= BatchSize ? TimeSpan.Zero : options.Value.PollInterval;

    /// <summary>
    /// One due request, or false when none is due. A request whose work fails in a way TRS's answer does not explain (a bug,
    /// a database error) is put off with a backoff in a transaction of its own, so it cannot hold up the requests behind it.
    /// </summary>
    private async Task<bool> ProcessOneAsync(ITeachingRegulationService trs, CancellationToken ct)
    {
        Request? taken = null;
        try
        {
            return await transactions.RunWithoutDispatchAsync(TraineesModule.Schema, async tx =>
            {
                taken = null;
                return await DoOneAsync(tx, trs, request => taken = request, ct);
            }, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && taken is not null && ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "TRS request {Request} ({Kind}) for trainee {TraineeId} failed; trying again later", taken.Id, taken.Kind, taken.TraineeId);
            await using var connection = await db.OpenConnectionAsync(ct);
            var now = Clock.UtcNowForDatabase();
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE trainees.trs_requests SET due_at = @retry, attempts = attempts + 1, last_error = @error, last_attempt_at = @now
                WHERE id = @Id AND completed_at IS NULL
                """,
                new { taken.Id, now, retry = now + Backoff(taken.Attempts), error = $"Register failed: {ex.GetType().Name}" }, cancellationToken: ct));
            return true;
        }
    }

    private async Task<bool> DoOneAsync(NpgsqlTransaction tx, ITeachingRegulationService trs, Action<Request> taking, CancellationToken ct)
    {
        var connection = tx.Connection!;
        var now = Clock.UtcNowForDatabase();
        var request = await connection.QuerySingleOrDefaultAsync<Request>(new CommandDefinition(
            """
            SELECT id, trainee_id, kind, attempts, trn_request_id, trn_requested_at FROM trainees.trs_requests
            WHERE completed_at IS NULL AND failed_at IS NULL AND due_at <= @now ORDER BY due_at, id LIMIT 1 FOR UPDATE SKIP LOCKED
            """,
            new { now }, tx, cancellationToken: ct));
        if (request is null)
        {
            return false;
        }

        taking(request);
        var trainee = await connection.QuerySingleOrDefaultAsync<Trainee>(new CommandDefinition(
            TraineeStore.Select("t.id = @TraineeId", "FOR UPDATE OF t"), request, tx, cancellationToken: ct));
        Outcome outcome;
        try
        {
            // An erased or deleted trainee (ADR 16) is never sent to TRS: its request is done, unsent.
            outcome = trainee is null || trainee.DiscardedAt is not null || trainee.ErasedAt is not null
                ? Outcome.Done
                : request.Kind switch
                {
                    TrsRequests.Trn => await TrnAsync(tx, trs, request, trainee, now, ct),
                    TrsRequests.Route => await RouteAsync(tx, trs, trainee, award: false, now, ct),
                    TrsRequests.Award => await RouteAsync(tx, trs, trainee, award: true, now, ct),
                    TrsRequests.PersonalData => await PersonalDataAsync(trs, trainee, ct),
                    _ => Outcome.Failed($"Register does not know the request kind {request.Kind}"),
                };
        }
        catch (TrsUnavailableException ex)
        {
            outcome = Outcome.Retry(ex.Message);
        }

        var (sql, due) = outcome.Kind switch
        {
            OutcomeKind.Done => ("completed_at = @now", now),
            OutcomeKind.Wait => ("due_at = @due", now + outcome.Wait),
            OutcomeKind.Failed => ("failed_at = @now, last_error = @Error", now),
            _ => ("due_at = @due, last_error = @Error", now + Backoff(request.Attempts)),
        };
        await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE trainees.trs_requests SET {sql}, attempts = attempts + 1, last_attempt_at = @now WHERE id = @Id",
            new { request.Id, now, due, outcome.Error }, tx, cancellationToken: ct));
        var level = outcome.Kind is OutcomeKind.Failed or OutcomeKind.Retry ? LogLevel.Warning : LogLevel.Information;
        Logger.Log(level, "TRS request {Request} ({Kind}) for trainee {TraineeId}: {Outcome} {Error}", request.Id, request.Kind, request.TraineeId, outcome.Kind, outcome.Error);
        return true;
    }

    /// <summary>The TRN request: ask (once per id), then poll until TRS gives the TRN.</summary>
    private async Task<Outcome> TrnAsync(NpgsqlTransaction tx, ITeachingRegulationService trs, Request request, Trainee trainee, DateTimeOffset now, CancellationToken ct)
    {
        if (trainee.Trn is not null)
        {
            return Outcome.Done;
        }

        var connection = tx.Connection!;
        var requestId = request.TrnRequestId ?? Guid.NewGuid();
        if (request.TrnRequestId is null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE trainees.trs_requests SET trn_request_id = @requestId WHERE id = @Id", new { request.Id, requestId }, tx, cancellationToken: ct));
        }

        if (request.TrnRequestedAt is null)
        {
            var created = await trs.CreateTrnRequestAsync(TrsBodies.TrnRequest(trainee, requestId), ct);
            if (created.IsSuccess || created is { Status: 409, ErrorCode: TrsErrorCodes.TrnRequestAlreadyCreated })
            {
                // Accepted now or before (409: an earlier attempt reached TRS): from now on the TRN is polled for.
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE trainees.trs_requests SET trn_requested_at = @now, potential_duplicate = @duplicate WHERE id = @Id",
                    new { request.Id, now, duplicate = created.Value?.PotentialDuplicate ?? false }, tx, cancellationToken: ct));
                return created.Value is { Status: TrnRequestStatuses.Completed, Trn: { Length: > 0 } trn }
                    ? await ReceiveTrnAsync(tx, trainee, trn, now, ct)
                    : Outcome.WaitFor(PollWait(0));
            }

            return Refused(created);
        }

        var polled = await trs.GetTrnRequestAsync(requestId.ToString(), ct);
        if (polled.IsSuccess && polled.Value is { } info)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE trainees.trs_requests SET potential_duplicate = @PotentialDuplicate WHERE id = @Id", new { request.Id, info.PotentialDuplicate }, tx, cancellationToken: ct));
            return info is { Status: TrnRequestStatuses.Completed, Trn: { Length: > 0 } trn }
                ? await ReceiveTrnAsync(tx, trainee, trn, now, ct)
                : Outcome.WaitFor(PollWait(request.Attempts));
        }

        if (polled is { Status: 404, ErrorCode: TrsErrorCodes.TrnRequestDoesNotExist })
        {
            // TRS does not have it (the first POST never reached it): ask again, with the same id.
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE trainees.trs_requests SET trn_requested_at = NULL WHERE id = @Id", new { request.Id }, tx, cancellationToken: ct));
            return Outcome.WaitFor(TimeSpan.Zero);
        }

        return Refused(polled);
    }

    private static async Task<Outcome> ReceiveTrnAsync(NpgsqlTransaction tx, Trainee trainee, string trn, DateTimeOffset now, CancellationToken ct)
    {
        var state = trainee.State == TraineeStates.SubmittedForTrn ? TraineeStates.TrnReceived : trainee.State;
        var after = trainee with { Trn = trn, State = state, UpdatedAt = now };
        await ChangedAsync(tx, trainee, after, TraineeEvents.TrnReceived, now, ct);
        // TRS hears of the training at once: the route, InTraining (or the trainee's deferral or withdrawal).
        await TrsRequests.OweRouteAsync(tx, after, now, ct);
        return Outcome.Done;
    }

    /// <summary>The route PUT with the status of the trainee's state; for an award, a recommended trainee then becomes awarded.</summary>
    private static async Task<Outcome> RouteAsync(NpgsqlTransaction tx, ITeachingRegulationService trs, Trainee trainee, bool award, DateTimeOffset now, CancellationToken ct)
    {
        if (trainee.Trn is null || (award && trainee.State != TraineeStates.RecommendedForAward))
        {
            // Without a TRN the route is sent when it comes; an award only for a trainee still recommended.
            return Outcome.Done;
        }

        var ukprn = await tx.Connection!.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT ukprn FROM trainees.providers WHERE id = @ProviderId", trainee, tx, cancellationToken: ct));
        if (TrsBodies.Route(trainee, ukprn) is not { } body)
        {
            return Outcome.Done;
        }

        var answer = await trs.SetRouteAsync(trainee.Trn, trainee.Slug, body, ct);
        if (!answer.IsSuccess && answer.ErrorCode != TrsErrorCodes.RouteAlreadyHolds)
        {
            return Refused(answer);
        }

        if (award)
        {
            // As the reference: TRS gives no date, so the trainee is awarded on the date it met the standards.
            var awardedAt = trainee.OutcomeDate is { } date ? LondonTime.StartOfLondonDay(date) : now;
            await ChangedAsync(tx, trainee, trainee with { State = TraineeStates.Awarded, AwardedAt = DatabaseTime.ForDatabase(awardedAt), UpdatedAt = now },
                TraineeEvents.Awarded, now, ct);
        }

        return Outcome.Done;
    }

    private static async Task<Outcome> PersonalDataAsync(ITeachingRegulationService trs, Trainee trainee, CancellationToken ct)
    {
        if (trainee.Trn is null || trainee.State is TraineeStates.Withdrawn or TraineeStates.Awarded)
        {
            return Outcome.Done;
        }

        var answer = await trs.SetPersonalDataAsync(trainee.Trn, TrsBodies.PersonalData(trainee), ct);
        return answer.IsSuccess || answer.ErrorCode is TrsErrorCodes.PiiUpdatesForbidden or TrsErrorCodes.PiiUpdatesForbiddenPersonHasQts
            ? Outcome.Done
            : Refused(answer);
    }

    /// <summary>A refusal: for good when TRS explains it (a 4xx of its own), else tried again later.</summary>
    private static Outcome Refused<T>(TrsAnswer<T> answer) => answer.IsTransient ? Outcome.Retry(answer.Describe()) : Outcome.Failed(answer.Describe());

    /// <summary>The wait before the next poll of a pending TRN request: <c>Trs:PollInterval</c>, doubling with each poll, at most <c>Trs:MaxPollWait</c>.</summary>
    private TimeSpan PollWait(int polls)
    {
        var first = options.Value.PollInterval;
        var wait = first * Math.Pow(2, Math.Min(polls, 20));
        return wait > options.Value.MaxPollWait ? options.Value.MaxPollWait : wait;
    }

    /// <summary>Writes what TRS moved, and its notification.</summary>
    private static async Task ChangedAsync(NpgsqlTransaction tx, Trainee before, Trainee after, string action, DateTimeOffset now, CancellationToken ct)
    {
        await TraineeStore.UpdateLifecycleAsync(tx, after, ct);
        await TraineeEvents.EnqueueAsync(tx, TraineeEvents.Trainee, after, action, Actor, TraineeEvents.TraineeChanges(before, after), now, ct);
    }

    /// <summary>The wait after a failure: 30 s, doubling with each attempt, at most an hour.</summary>
    internal static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(3600, 30 * Math.Pow(2, Math.Min(attempts, 7))));

    private enum OutcomeKind
    {
        Done,
        Wait,
        Failed,
        Retry,
    }

    private sealed record Outcome(OutcomeKind Kind, TimeSpan Wait = default, string? Error = null)
    {
        public static Outcome Done { get; } = new(OutcomeKind.Done);

        public static Outcome WaitFor(TimeSpan wait) => new(OutcomeKind.Wait, wait);

        public static Outcome Failed(string error) => new(OutcomeKind.Failed, Error: error);

        public static Outcome Retry(string error) => new(OutcomeKind.Retry, Error: error);
    }

    private sealed record Request
    {
        public Guid Id { get; init; }

        public Guid TraineeId { get; init; }

        public string Kind { get; init; } = "";

        public int Attempts { get; init; }

        public Guid? TrnRequestId { get; init; }

        public DateTimeOffset? TrnRequestedAt { get; init; }
    }
}
