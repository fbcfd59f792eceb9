using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Register.BuildingBlocks.Jobs;

/// <summary>
/// A <see cref="ScheduledJob"/> due every day at a London wall-clock time (BST-aware): <see cref="RunsAt"/>, or
/// <c>Jobs:&lt;name&gt;:RunsAt</c> (<c>HH:mm</c> or <c>HH:mm:ss</c>) when set. Once a day across every Register process on
/// the database; a failed run is tried again after a minute, then after longer waits (up to an hour). The clock is the
/// injected <see cref="TimeProvider"/>, so tests drive it with a fake one.
/// </summary>
public abstract class DailyJob(ScheduledJobContext context, ILogger logger) : ScheduledJob(context, logger)
{
    /// <summary>The London time the job runs at unless <c>Jobs:&lt;name&gt;:RunsAt</c> says otherwise.</summary>
    protected abstract TimeOnly RunsAt { get; }

    private TimeOnly Time => Settings["RunsAt"] is { Length: > 0 } configured ? TimeOnly.Parse(configured, CultureInfo.InvariantCulture) : RunsAt;

    protected override DateTimeOffset NextDue(DateTimeOffset now) => now + UntilNextRun(now, Time);

    protected override DateTimeOffset PreviousDue(DateTimeOffset now)
    {
        var today = LondonTime.DayOf(now);
        var todays = LondonTime.At(today, Time);
        return todays <= now ? todays : LondonTime.At(today.AddDays(-1), Time);
    }

    /// <summary>From <paramref name="now"/> to the next time a London clock shows <paramref name="runsAt"/>.</summary>
    public static TimeSpan UntilNextRun(DateTimeOffset now, TimeOnly runsAt)
    {
        var today = LondonTime.DayOf(now);
        var next = LondonTime.At(today, runsAt);
        return (next > now ? next : LondonTime.At(today.AddDays(1), runsAt)) - now;
    }
}
