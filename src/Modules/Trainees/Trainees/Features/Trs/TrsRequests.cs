using Dapper;
using Npgsql;
using Register.BuildingBlocks.Contracts;

namespace Register.Trainees.Features.Trs;

/// <summary>Work owed to TRS, written in the transaction of the change that owes it: a TRN for a trainee submitted, an award for one recommended.</summary>
internal static class TrsRequests
{
    public const string Trn = "trn";
    public const string Award = "award";

    public static Task EnqueueAsync(NpgsqlTransaction tx, Guid traineeId, string kind, DateTimeOffset dueAt, DateTimeOffset now, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO trainees.trs_requests (id, trainee_id, kind, due_at, created_at) VALUES (@id, @traineeId, @kind, @dueAt, @now)
            ON CONFLICT (trainee_id, kind) WHERE completed_at IS NULL DO NOTHING
            """,
            new { id = EventIds.Next(now), traineeId, kind, dueAt, now }, tx, cancellationToken: ct));
}
