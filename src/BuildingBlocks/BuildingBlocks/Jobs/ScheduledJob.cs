using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Register.BuildingBlocks.Database;

namespace Register.BuildingBlocks.Jobs;

/// <summary>What every scheduled job needs from the host: the database, the clock and the settings.</summary>
public sealed class ScheduledJobContext(RegisterDatabase database, TimeProvider clock, IConfiguration configuration, IServiceProvider services)
{
    public RegisterDatabase Database => database;

    public TimeProvider Clock => clock;

    public IConfiguration Configuration => configuration;

    // Resolved when a job runs, not in the constructor: the data source exists only once the database is prepared.
    internal NpgsqlDataSource DataSource => services.GetRequiredService<NpgsqlDataSource>();
}

/// <summary>
/// A <see cref="BackgroundLoop"/> whose batch is a job due at set times (<see cref="DailyJob"/>: a London time each day;
/// <see cref="IntervalJob"/>: every interval). Each due time runs once across every Register process on the database:
/// the run holds a transaction-scoped advisory lock on the job's name and, in the same transaction, writes the due time
/// to <c>jobs.job_runs</c> when it has finished. A process that finds the due time written skips it; one that finds the
/// lock taken looks again a minute later (so a process that died mid-run is covered); a failed run writes nothing and is
/// tried again. Jobs are written so that running one again after a failure half-way is harmless.
/// <para>Settings: <c>Jobs:Enabled</c> (false: no scheduled job runs in this process) and <c>Jobs:&lt;name&gt;:Enabled</c>.</para>
/// </summary>
public abstract class ScheduledJob(ScheduledJobContext context, ILogger logger) : BackgroundLoop(context.Database, context.Clock, logger)
{
    /// <summary>How soon a process that found the job running elsewhere looks again.</summary>
    public static readonly TimeSpan BusyRecheck = TimeSpan.FromMinutes(1);

    private static readonly string Instance = $"{Environment.MachineName}:{Environment.ProcessId}";

    private DateTimeOffset? _due;
    private bool _busy;

    /// <summary>The job's name, in snake_case: its settings (<c>Jobs:&lt;name&gt;</c>), its log lines and its rows in <c>jobs.job_runs</c>.</summary>
    public abstract string JobName { get; }

    protected override string Name => JobName;

    protected ScheduledJobContext Context => context;

    /// <summary>This job's settings, <c>Jobs:&lt;name&gt;</c>.</summary>
    protected IConfigurationSection Settings => context.Configuration.GetSection($"Jobs:{JobName}");

    protected override bool Enabled => context.Configuration.GetValue("Jobs:Enabled", true) && Settings.GetValue("Enabled", true);

    /// <summary>
    /// True: at startup, the latest due time is run if no process ran it (Register was down then); false: the first run
    /// is the next due time.
    /// </summary>
    protected virtual bool CatchesUpAtStartup => false;

    protected override TimeSpan FirstRetry => TimeSpan.FromMinutes(1);

    protected override TimeSpan LongestRetry => TimeSpan.FromHours(1);

    /// <summary>The latest due time at or before <paramref name="now"/>.</summary>
    protected abstract DateTimeOffset PreviousDue(DateTimeOffset now);

    /// <summary>The first due time after <paramref name="now"/>.</summary>
    protected abstract DateTimeOffset NextDue(DateTimeOffset now);

    /// <summary>The job's work; returns how many records it changed.</summary>
    protected abstract Task<int> RunJobAsync(CancellationToken ct);

    protected sealed override async Task<int> RunBatchAsync(CancellationToken ct)
    {
        var now = Clock.GetUtcNow();
        _due ??= CatchesUpAtStartup ? PreviousDue(now) : NextDue(now);
        _busy = false;
        if (now < _due)
        {
            return 0;
        }

        var due = _due.Value;
        var (outcome, changed) = await RunClaimedAsync(due, ct);
        switch (outcome)
        {
            case Claim.Busy:
                _busy = true;
                Logger.LogDebug("{Job}: another process is running it; looking again in {Wait}", JobName, BusyRecheck);
                break;
            case Claim.AlreadyRan:
                Logger.LogDebug("{Job}: its run due at {DueAt:o} was done by another process", JobName, due);
                _due = NextDue(Clock.GetUtcNow());
                break;
            default:
                Logger.LogInformation("{Job} ran for {DueAt:o} and changed {Changed} records", JobName, due, changed);
                _due = NextDue(Clock.GetUtcNow());
                break;
        }

        return changed;
    }

    protected sealed override TimeSpan NextWait(int done) => _busy ? BusyRecheck : _due!.Value - Clock.GetUtcNow();

    private enum Claim
    {
        Ran,
        AlreadyRan,
        Busy,
    }

    private async Task<(Claim Outcome, int Changed)> RunClaimedAsync(DateTimeOffset due, CancellationToken ct)
    {
        await using var connection = await context.DataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Transaction-scoped: released at commit, rollback or a lost connection, and safe through a transaction-pooling PgBouncer.
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT pg_try_advisory_xact_lock(hashtextextended(@key, 0))", new { key = $"jobs.{JobName}" }, tx, cancellationToken: ct)))
        {
            return (Claim.Busy, 0);
        }

        // Read after the lock is held: a run that finished elsewhere committed its row before it let the lock go.
        if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM jobs.job_runs WHERE job = @JobName AND due_at = @due)", new { JobName, due }, tx, cancellationToken: ct)))
        {
            return (Claim.AlreadyRan, 0);
        }

        var started = Clock.GetUtcNow();
        var changed = await RunJobAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO jobs.job_runs (job, due_at, started_at, finished_at, changed, instance)
            VALUES (@JobName, @due, @started, @finished, @changed, @Instance)
            ON CONFLICT (job, due_at) DO NOTHING;
            DELETE FROM jobs.job_runs WHERE job = @JobName AND due_at < @due - interval '90 days';
            """,
            new { JobName, due, started, finished = Clock.GetUtcNow(), changed, Instance }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return (Claim.Ran, changed);
    }
}

/// <summary>A <see cref="ScheduledJob"/> due every <see cref="Interval"/>, at whole multiples of it since 1 January 1970 (UTC).</summary>
public abstract class IntervalJob(ScheduledJobContext context, ILogger logger) : ScheduledJob(context, logger)
{
    protected abstract TimeSpan Interval { get; }

    protected override DateTimeOffset PreviousDue(DateTimeOffset now) =>
        Interval > TimeSpan.Zero
            ? new(now.UtcTicks - (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) % Interval.Ticks, TimeSpan.Zero)
            : throw new InvalidOperationException($"The interval of {JobName} must be longer than zero; it is {Interval}.");

    protected override DateTimeOffset NextDue(DateTimeOffset now) => PreviousDue(now) + Interval;
}
