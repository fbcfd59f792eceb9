using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Register.BuildingBlocks.Database;

namespace Register.BuildingBlocks.Jobs;

/// <summary>
/// The one shape of Register's background work (the outbox dispatcher, the TRS and upload workers, the API usage
/// recorder and every scheduled job): wait until the database is migrated, then run a batch
/// (<see cref="RunBatchAsync"/>, which says how much it did), wait (<see cref="NextWait"/>, cut short by
/// <see cref="Wake"/>), and again, until the host stops.
/// <list type="bullet">
/// <item>A batch that fails is logged and retried with a growing delay (<see cref="FirstRetry"/> doubling up to
/// <see cref="LongestRetry"/>); a database that cannot be reached is one warning when the outage starts and one line
/// when it ends, not an error with a stack trace every poll.</item>
/// <item>On stop (SIGTERM, Ctrl-C) the batch under way finishes: the token a batch gets is cancelled only when the host's
/// shutdown timeout (<c>HostOptions.ShutdownTimeout</c>) has passed, never at the stop signal itself. No new batch starts
/// once the host is stopping; <see cref="OnStoppedAsync"/> then runs once (the usage recorder's last flush).</item>
/// <item>Every loop is safe with several Register processes on one database: each claims its work in the database
/// (row locks with <c>SKIP LOCKED</c>, transaction-scoped advisory locks, or <c>jobs.job_runs</c> for scheduled jobs).
/// See docs/adr/0015.</item>
/// </list>
/// </summary>
public abstract class BackgroundLoop(RegisterDatabase database, TimeProvider clock, ILogger logger) : BackgroundService
{
    private readonly CancellationTokenSource _abandon = new();
    private TaskCompletionSource _wake = NewSignal();

    protected TimeProvider Clock => clock;

    protected ILogger Logger => logger;

    /// <summary>The loop's name in the logs.</summary>
    protected virtual string Name => GetType().Name;

    /// <summary>False when the settings switch this loop off in this process: it then never runs.</summary>
    protected virtual bool Enabled => true;

    /// <summary>The wait after the first failed batch; it doubles with each failure after it.</summary>
    protected virtual TimeSpan FirstRetry => TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between failed batches.</summary>
    protected virtual TimeSpan LongestRetry => TimeSpan.FromMinutes(5);

    /// <summary>
    /// One batch of work; returns how much it did (0: nothing to do). <paramref name="ct"/> is not the host's stopping
    /// token: it is cancelled only once the shutdown timeout has passed, so a batch is never cut short by SIGTERM itself.
    /// </summary>
    protected abstract Task<int> RunBatchAsync(CancellationToken ct);

    /// <summary>How long to wait after a batch that did <paramref name="done"/> (zero: straight on, there is more).</summary>
    protected abstract TimeSpan NextWait(int done);

    /// <summary>Runs once after the loop has stopped (and the host is stopping), if the database was migrated.</summary>
    protected virtual Task OnStoppedAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>Asks the loop to run its next batch now rather than at the end of its wait (work was just added).</summary>
    public void Wake() => Volatile.Read(ref _wake).TrySetResult();

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled || !await WaitUntilMigratedAsync(stoppingToken))
        {
            return;
        }

        var failures = 0;
        var outage = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            // A wake from now on (work added while the batch runs) means another batch straight after this one.
            Volatile.Write(ref _wake, NewSignal());
            TimeSpan wait;
            try
            {
                var done = await RunBatchAsync(_abandon.Token);
                if (outage)
                {
                    logger.LogInformation("{Loop}: the database answers again; working as usual", Name);
                }

                (failures, outage) = (0, false);
                wait = NextWait(done);
            }
            catch (Exception ex) when (_abandon.IsCancellationRequested)
            {
                logger.LogWarning("{Loop}: the host's shutdown timeout passed before its batch finished; the batch was abandoned ({Reason})", Name, ex.Message);
                return;
            }
            catch (Exception ex)
            {
                failures++;
                wait = RetryWait(failures);
                if (IsDatabaseOutage(ex))
                {
                    if (!outage)
                    {
                        logger.LogWarning("{Loop}: the database cannot be reached ({Reason}); trying again, at most every {Longest}", Name, ex.Message, LongestRetry);
                    }

                    outage = true;
                }
                else
                {
                    logger.LogError(ex, "{Loop} failed; trying again in {Wait}", Name, wait);
                }
            }

            await WaitAsync(wait, stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The stopping token ends the loop after its batch; the shutdown timeout (this token) also ends the batch. Base
        // StopAsync returns when either the loop has ended or this token is cancelled, so its cancellation is checked after.
        await base.StopAsync(cancellationToken);
        if (cancellationToken.IsCancellationRequested)
        {
            await _abandon.CancelAsync();
        }

        if (Enabled && database.IsMigrated)
        {
            try
            {
                await OnStoppedAsync(cancellationToken);
            }
            // ObjectDisposedException: the services are disposed already. Only a host stopped twice at once (a test
            // server's stop beside the app's own run) gets here; a process stops once, and does its last work.
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException || IsDatabaseOutage(ex))
            {
                logger.LogWarning("{Loop}: its last work at stop could not be done ({Reason})", Name, ex.Message);
            }
        }
    }

    public override void Dispose()
    {
        _abandon.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    private TimeSpan RetryWait(int failures) =>
        TimeSpan.FromTicks((long)Math.Min(LongestRetry.Ticks, FirstRetry.Ticks * Math.Pow(2, Math.Min(failures - 1, 30))));

    /// <summary>Whether an exception says the database is away, as opposed to a bug: the classifier of the requests' 503s.</summary>
    internal static bool IsDatabaseOutage(Exception ex) => DatabaseOutage.IsOutage(ex);

    private async Task<bool> WaitUntilMigratedAsync(CancellationToken stoppingToken)
    {
        while (!database.IsMigrated)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        return true;
    }

    private async Task WaitAsync(TimeSpan wait, CancellationToken stoppingToken)
    {
        var woken = Volatile.Read(ref _wake).Task;
        if (wait <= TimeSpan.Zero || stoppingToken.IsCancellationRequested || woken.IsCompleted)
        {
            return;
        }

        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        await Task.WhenAny(Task.Delay(wait, clock, waiting.Token), woken);
        await waiting.CancelAsync();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
