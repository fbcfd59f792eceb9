using Dapper;
using Npgsql;
using Register.BuildingBlocks.Contracts;
using Register.Trainees.Features.Trs;

namespace Register.Trainees.Domain;

/// <summary>
/// Work owed to TRS (<c>trainees.trs_requests</c>), written in the transaction of the change that owes it: a TRN for a
/// trainee submitted, the route for a trainee whose TRN came or who was deferred or withdrawn, an award for one
/// recommended, the personal data and the route after an edit of a trainee with a TRN. <c>TrsWorker</c> does it when it
/// falls due, building what it sends from the trainee as it is then, so one open request of a kind per trainee (the
/// unique index) stands for every change made before it is sent.
/// </summary>
internal static class TrsRequests
{
    public const string Trn = "trn";
    public const string Award = "award";
    public const string Route = "route";
    public const string PersonalData = "personal_data";

    public static Task EnqueueAsync(NpgsqlTransaction tx, Guid traineeId, string kind, DateTimeOffset dueAt, DateTimeOffset now, CancellationToken ct) =>
        EnqueueManyAsync(tx, [traineeId], kind, dueAt, now, ct);

    /// <summary>
    /// One request of a kind for each trainee, in one statement. A trainee already owed one of that kind keeps the one it
    /// has; if TRS refused that one (<c>failed_at</c>), it is due again, since the change may be what TRS asked for. A TRN
    /// request gets its TRS request id now, once: every retry sends the same.
    /// </summary>
    public static Task EnqueueManyAsync(NpgsqlTransaction tx, IReadOnlyList<Guid> traineeIds, string kind, DateTimeOffset dueAt, DateTimeOffset now, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO trainees.trs_requests AS r (id, trainee_id, kind, due_at, created_at, trn_request_id)
            SELECT n.id, n.trainee_id, @kind, @dueAt, @now, CASE WHEN @kind = 'trn' THEN gen_random_uuid() END FROM unnest(@ids, @traineeIds) AS n(id, trainee_id)
            ON CONFLICT (trainee_id, kind) WHERE completed_at IS NULL
            DO UPDATE SET failed_at = NULL, due_at = excluded.due_at, attempts = 0 WHERE r.failed_at IS NOT NULL AND r.kind <> 'trn'
            """,
            new { ids = traineeIds.Select(_ => EventIds.Next(now)).ToArray(), traineeIds = traineeIds.ToArray(), kind, dueAt, now }, tx, cancellationToken: ct));

    /// <summary>After a move TRS hears of as a route status (TRN received, deferred, withdrawn): the route PUT, if the trainee has a TRN.</summary>
    public static Task OweRouteAsync(NpgsqlTransaction tx, Trainee trainee, DateTimeOffset now, CancellationToken ct) =>
        trainee.Trn is null ? Task.CompletedTask : EnqueueAsync(tx, trainee.Id, Route, now, now, ct);

    /// <summary>
    /// After an edit: the personal data PUT if what TRS gets of the person changed, and the route PUT if what it gets of the
    /// route changed; only for a trainee with a TRN that is not withdrawn or awarded (as the reference).
    /// </summary>
    public static async Task OweEditAsync(NpgsqlTransaction tx, Trainee before, Trainee after, DateTimeOffset now, CancellationToken ct)
    {
        if (after.Trn is null || after.State is TraineeStates.Withdrawn or TraineeStates.Awarded || after.ErasedAt is not null)
        {
            return;
        }

        if (TrsBodies.Json(TrsBodies.PersonalData(before)) != TrsBodies.Json(TrsBodies.PersonalData(after)))
        {
            await EnqueueAsync(tx, after.Id, PersonalData, now, now, ct);
        }

        if (TrsBodies.Json(TrsBodies.Route(before, null)) != TrsBodies.Json(TrsBodies.Route(after, null)))
        {
            await EnqueueAsync(tx, after.Id, Route, now, now, ct);
        }
    }
}
