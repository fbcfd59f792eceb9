using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Jobs;
using Register.BuildingBlocks.Outbox;

namespace Register.BuildingBlocks.Telemetry;

/// <summary><c>Telemetry:*</c>: see docs/operations.md.</summary>
public sealed class TelemetryOptions
{
    /// <summary>False: no traces, no metrics, no scrape endpoint, no sampling (the instruments are still there, unheard).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where the OTLP exporter sends traces and metrics; unset (and no <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>): no export.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>The management address the Prometheus scrape endpoint (<c>/metrics</c>) is served on, e.g. <c>http://127.0.0.1:9464</c>; unset: none.</summary>
    public string? MetricsUrl { get; set; }

    /// <summary>How often the gauges that need the database are sampled.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// Samples the gauges that need the database (TRS queue, outbox backlogs) every <c>Telemetry:SampleInterval</c> with one
/// connection, and hands the readings to <see cref="RegisterMetrics"/>, whose gauges report the last sample. A scrape
/// (or an OTLP export) therefore never queries the database: however often it comes, the database sees one set of
/// small queries per interval per process. Each process samples the same database-wide values: aggregate them with
/// <c>max</c>, not <c>sum</c>.
/// </summary>
public sealed class GaugeSampler(
    IServiceProvider services, IEnumerable<IGaugeSource> sources, RegisterMetrics metrics, RegisterDatabase database, TimeProvider clock,
    IOptions<TelemetryOptions> options, ILogger<GaugeSampler> logger) : BackgroundLoop(database, clock, logger)
{
    protected override string Name => "Gauge sampler";

    protected override bool Enabled => options.Value.Enabled;

    protected override async Task<int> RunBatchAsync(CancellationToken ct)
    {
        await using var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(ct);
        var readings = new List<GaugeReading>();
        foreach (var source in sources)
        {
            readings.AddRange(await source.ReadAsync(connection, ct));
        }

        metrics.Publish(readings);
        return readings.Count;
    }

    protected override TimeSpan NextWait(int done) => options.Value.SampleInterval;
}

/// <summary>
/// The backlog of each module's outbox (rows not yet delivered) and of the email outbox (<c>module="email"</c>: emails not yet
/// sent), and the age of the oldest.
/// </summary>
internal sealed class OutboxGaugeSource(IEnumerable<ModuleOutbox> outboxes) : IGaugeSource
{
    public async Task<IReadOnlyList<GaugeReading>> ReadAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var readings = new List<GaugeReading>();
        foreach (var outbox in outboxes)
        {
            var (count, oldest) = await connection.QuerySingleAsync<(long, double)>(new CommandDefinition(
                $"SELECT count(*), coalesce(extract(epoch FROM now() - min(occurred_at)), 0)::float8 FROM {outbox.Schema}.outbox WHERE dispatched_at IS NULL",
                cancellationToken: ct));
            readings.Add(new GaugeReading(RegisterMetrics.OutboxBacklog, "module", outbox.Schema, count));
            readings.Add(new GaugeReading(RegisterMetrics.OutboxOldestAge, "module", outbox.Schema, Math.Max(0, oldest)));
        }

        var (emails, oldestEmail) = await connection.QuerySingleAsync<(long, double)>(new CommandDefinition(
            "SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 FROM email.outbox WHERE sent_at IS NULL", cancellationToken: ct));
        readings.Add(new GaugeReading(RegisterMetrics.OutboxBacklog, "module", "email", emails));
        readings.Add(new GaugeReading(RegisterMetrics.OutboxOldestAge, "module", "email", Math.Max(0, oldestEmail)));
        return readings;
    }
}

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>Register's meter (<see cref="RegisterMetrics"/>), its options and the sampler of its database gauges.</summary>
    public static IServiceCollection AddRegisterMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddOptions<TelemetryOptions>().BindConfiguration("Telemetry");
        services.TryAddSingleton<RegisterMetrics>();
        services.AddSingleton<IGaugeSource, OutboxGaugeSource>();
        services.AddHostedService<GaugeSampler>();
        return services;
    }
}
