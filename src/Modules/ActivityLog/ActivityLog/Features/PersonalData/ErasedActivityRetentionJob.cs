using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Jobs;

namespace Register.ActivityLog.Features.PersonalData;

internal sealed class PersonalDataOptions
{
    /// <summary>
    /// How many days the (redacted) activity items of an erased record are kept, counted from each item's time: two years by
    /// default, long enough for a complaint, an audit of a cycle's funding or an investigation of the erasure itself.
    /// </summary>
    public int ErasedActivityRetentionDays { get; set; } = 730;
}

/// <summary>
/// Every day at 03:00 (London), and once at startup to catch up on days the service was down: deletes the activity items of
/// erased records (the record types their erasure names) older than <c>PersonalData:ErasedActivityRetentionDays</c> (ADR 16).
/// Items of records that were not erased, and the erasures themselves (which keep late deliveries redacted), stay.
/// Once a day across every Register process (a <see cref="DailyJob"/>); deleting is idempotent anyway.
/// </summary>
internal sealed class ErasedActivityRetentionJob(
    ScheduledJobContext context, NpgsqlDataSource db, IOptions<PersonalDataOptions> options, ILogger<ErasedActivityRetentionJob> logger)
    : DailyJob(context, logger)
{
    public override string JobName => "erased_activity_retention";

    protected override TimeOnly RunsAt { get; } = new(3, 0);

    protected override bool CatchesUpAtStartup => true;

    /// <summary>One run now, outside the schedule (the tests').</summary>
    public Task<int> RunOnceAsync(CancellationToken ct) => RunJobAsync(ct);

    protected override async Task<int> RunJobAsync(CancellationToken ct)
    {
        var before = Clock.UtcNowForDatabase().AddDays(-options.Value.ErasedActivityRetentionDays);
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM activity_log.activity_items i
            USING activity_log.erasures e
            WHERE i.record_id = e.record_id AND i.record_type = ANY(e.record_types) AND i.occurred_at < @before
            """,
            new { before }, cancellationToken: ct));
    }
}
