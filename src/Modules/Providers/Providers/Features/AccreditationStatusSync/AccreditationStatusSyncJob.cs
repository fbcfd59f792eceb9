using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Jobs;
using Register.Providers.Domain;

namespace Register.Providers.Features.AccreditationStatusSync;

/// <summary>
/// Every day at 02:00 (London) — and at startup, if no Register process ran it at the last 02:00 — makes the
/// status of every provider whose accreditations started or ended follow them (see
/// <see cref="ProviderStore.SyncAccreditationStatusAsync"/>). It finds them by comparing each stored status
/// with the one its accreditations give today, so a missed day is never missed for good.
/// </summary>
internal sealed class AccreditationStatusSyncJob(
    ScheduledJobContext context, NpgsqlDataSource db, TransactionRunner transactions, ILogger<AccreditationStatusSyncJob> logger)
    : DailyJob(context, logger)
{
    public override string JobName => "accreditation_status_sync";

    protected override TimeOnly RunsAt { get; } = new(2, 0);

    protected override bool CatchesUpAtStartup => true;

    protected override async Task<int> RunJobAsync(CancellationToken ct)
    {
        var today = Clock.TodayInLondon();
        await using var connection = await db.OpenConnectionAsync(ct);
        var stale = (await connection.QueryAsync<Guid>(new CommandDefinition(
            """
            SELECT p.id FROM providers.providers p
            WHERE p.deleted_at IS NULL
              AND p.accreditation_status <> CASE WHEN EXISTS (
                      SELECT 1 FROM providers.accreditations a
                      WHERE a.provider_id = p.id AND a.deleted_at IS NULL AND a.start_date <= @today AND (a.end_date IS NULL OR a.end_date >= @today))
                  THEN 'accredited' ELSE 'unaccredited' END
            """,
            new { today }, cancellationToken: ct))).AsList();

        var changed = 0;
        foreach (var id in stale)
        {
            if (await transactions.RunAsync(ProvidersModule.Schema, tx => ProviderStore.SyncAccreditationStatusAsync(tx, id, today, Clock.UtcNowForDatabase(), ct), ct))
            {
                changed++;
            }
        }

        return changed;
    }
}
