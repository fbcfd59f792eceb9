using Dapper;
using Npgsql;
using Register.BuildingBlocks.Contracts;

namespace Register.Trainees.Domain;

/// <summary>
/// Work owed to TRS (<c>trainees.trs_requests</c>), written in the transaction of the change that owes it: a TRN for a
/// trainee submitted, an award for one recommended. <c>TrsWorker</c> does it when it falls due.
/// </summary>
internal static class TrsRequests
{
    public const string Trn = "trn";
    public const string Award = "award";

    public static Task EnqueueAsync(NpgsqlTransaction tx, Guid traineeId, string kind, DateTimeOffset dueAt, DateTimeOffset now, CancellationToken ct) =>
        EnqueueManyAsync(tx, [traineeId], kind, dueAt, now, ct);

    /// <summary>One request of a kind for each trainee, in one statement; a trainee already owed one of that kind keeps the one it has.</summary>
    public static Task EnqueueManyAsync(NpgsqlTransaction tx, IReadOnlyList<Guid> traineeIds, string kind, DateTimeOffset dueAt, DateTimeOffset now, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO trainees.trs_requests (id, trainee_id, kind, due_at, created_at)
            SELECT r.id, r.trainee_id, @kind, @dueAt, @now FROM unnest(@ids, @traineeIds) AS r(id, trainee_id)
            ON CONFLICT (trainee_id, kind) WHERE completed_at IS NULL DO NOTHING
            """,
            new { ids = traineeIds.Select(_ => EventIds.Next(now)).ToArray(), traineeIds = traineeIds.ToArray(), kind, dueAt, now }, tx, cancellationToken: ct));
}
