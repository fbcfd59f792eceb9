using Dapper;
using Npgsql;
using Register.BuildingBlocks.Telemetry;

namespace Register.Trainees.Features.Trs;

/// <summary>
/// The TRS queue for the metrics (sampled by <see cref="GaugeSampler"/>): requests not done and not refused for good
/// (<c>completed_at</c> and <c>failed_at</c> empty, due or waiting for their time), by kind, and the age of the oldest.
/// Every kind is reported, 0 when it has none, so a dashboard's series do not come and go.
/// </summary>
internal sealed class TrsQueueGauges : IGaugeSource
{
    private static readonly string[] Kinds = ["trn", "award", "route", "personal_data"];

    public async Task<IReadOnlyList<GaugeReading>> ReadAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var rows = (await connection.QueryAsync<(string Kind, long Pending, double OldestSeconds)>(new CommandDefinition(
            """
            SELECT kind, count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8
            FROM trainees.trs_requests WHERE completed_at IS NULL AND failed_at IS NULL GROUP BY kind
            """, cancellationToken: ct))).ToDictionary(r => r.Kind);
        var readings = new List<GaugeReading>();
        foreach (var kind in Kinds.Union(rows.Keys))
        {
            var row = rows.GetValueOrDefault(kind);
            readings.Add(new GaugeReading(RegisterMetrics.TrsPending, "kind", kind, row.Pending));
            readings.Add(new GaugeReading(RegisterMetrics.TrsOldestAge, "kind", kind, Math.Max(0, row.OldestSeconds)));
        }

        return readings;
    }
}
