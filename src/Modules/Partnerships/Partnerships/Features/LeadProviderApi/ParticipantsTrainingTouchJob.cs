using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Jobs;

namespace Register.Partnerships.Features.LeadProviderApi;

/// <summary>
/// Every day at 00:01 (London), as the reference: a partnership whose <c>participants_currently_training</c>
/// changed overnight — a linked training period starts today or finished yesterday — gets a new
/// <c>updated_at</c>, so lead providers syncing with <c>filter[updated_since]</c> see the new count.
/// </summary>
internal sealed class ParticipantsTrainingTouchJob(ScheduledJobContext context, NpgsqlDataSource db, ILogger<ParticipantsTrainingTouchJob> logger)
    : DailyJob(context, logger)
{
    public override string JobName => "participants_training_touch";

    protected override TimeOnly RunsAt { get; } = new(0, 1);

    // Also at startup if no process ran it at the last 00:01, so a service that was down then still touches today's changes
    // (touching twice, after a run that failed half-way, is harmless).
    protected override bool CatchesUpAtStartup => true;

    protected override async Task<int> RunJobAsync(CancellationToken ct)
    {
        var today = Clock.TodayInLondon();
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE partnerships.school_partnerships sp SET api_updated_at = @now
            WHERE EXISTS (SELECT 1 FROM partnerships.training_periods tp
                          WHERE tp.school_partnership_id = sp.id AND (tp.started_on = @today OR tp.finished_on = @yesterday))
            """,
            new { now = Clock.UtcNowForDatabase(), today, yesterday = today.AddDays(-1) }, cancellationToken: ct));
    }
}
