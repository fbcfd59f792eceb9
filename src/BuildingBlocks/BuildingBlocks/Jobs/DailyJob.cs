using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Register.BuildingBlocks.Database;

namespace Register.BuildingBlocks.Jobs;

/// <summary>
/// A job that runs every day at a London wall-clock time (BST-aware), and optionally once at startup to catch
/// up on days the service was down. A failed run is logged and does not stop the host; the next one comes an
/// hour later. The clock is the injected <see cref="TimeProvider"/>, so tests drive it with a fake one.
/// </summary>
public abstract class DailyJob(RegisterDatabase database, TimeProvider clock, ILogger logger) : BackgroundService
{
    protected TimeProvider Clock => clock;

    protected abstract TimeOnly RunsAt { get; }

    protected virtual bool RunsAtStartup => false;

    public abstract Task<int> RunOnceAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var first = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!first || !RunsAtStartup)
                {
                    await Task.Delay(UntilNextRun(clock.GetUtcNow(), RunsAt), clock, stoppingToken);
                }

                first = false;
                if (database.IsMigrated)
                {
                    var changed = await RunOnceAsync(stoppingToken);
                    if (changed > 0)
                    {
                        logger.LogInformation("{Job} changed {Count} records", GetType().Name, changed);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogFailedRound(ex, "{Job} failed; it runs again in an hour", GetType().Name);
                await Task.Delay(TimeSpan.FromHours(1), clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    public static TimeSpan UntilNextRun(DateTimeOffset now, TimeOnly runsAt)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, LondonTime.London).DateTime);
        var next = LondonTime.At(today, runsAt);
        return (next > now ? next : LondonTime.At(today.AddDays(1), runsAt)) - now;
    }
}
