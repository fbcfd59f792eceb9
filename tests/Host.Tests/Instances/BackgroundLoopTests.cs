using System.Collections.Concurrent;
using System.Net.Sockets;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Jobs;
using Register.TestKit;

namespace Register.Host.Tests.Instances;

/// <summary>
/// The skeleton every background loop shares (<see cref="BackgroundLoop"/>, <see cref="ScheduledJob"/>): a stop lets the
/// batch under way finish and starts no other, a database outage is one warning, and a scheduled job's due time runs once
/// however many processes wait for it.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class BackgroundLoopTests(HostFixture fixture) : ApiTest<HostFixture>(fixture)
{
    private RegisterDatabase Database => Api.Factory.Services.GetRequiredService<RegisterDatabase>();

    [Fact]
    public async Task On_stop_the_batch_under_way_finishes_and_no_other_starts()
    {
        var log = new ListLogger();
        using var loop = new TestLoop(Database, log, async (batch, ct) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(800), ct);
            return 1;
        });
        await loop.StartAsync(CancellationToken.None);
        await loop.FirstBatchStarted.WaitAsync(TimeSpan.FromSeconds(10));

        using var shutdownTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await loop.StopAsync(shutdownTimeout.Token);

        // The loop always had more to do (NextWait is zero), yet the stop ended it after the batch it was in.
        Assert.Equal((1, 1, 0), (loop.Started, loop.Finished, loop.Cancelled));
        Assert.DoesNotContain(log.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task A_batch_still_running_when_the_shutdown_timeout_passes_is_abandoned()
    {
        var log = new ListLogger();
        using var loop = new TestLoop(Database, log, async (batch, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return 1;
        });
        await loop.StartAsync(CancellationToken.None);
        await loop.FirstBatchStarted.WaitAsync(TimeSpan.FromSeconds(10));

        using var shutdownTimeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await loop.StopAsync(shutdownTimeout.Token);

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"stop took {stopping.Elapsed}");
        await WaitUntilAsync(() => loop.Cancelled == 1);
        Assert.Equal((1, 0), (loop.Started, loop.Finished));
        await WaitUntilAsync(() => log.Entries.Any(e => e.Message.Contains("shutdown timeout passed", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_database_outage_is_one_warning_not_an_error_every_poll_and_a_bug_is_an_error()
    {
        var log = new ListLogger();
        using var loop = new TestLoop(Database, log, (batch, ct) => batch switch
        {
            <= 5 => throw new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused)),
            6 => throw new NpgsqlException("Exception while reading from stream", new TimeoutException()),
            7 => Task.FromResult(1),
            8 => throw new InvalidOperationException("a bug"),
            _ => Task.FromResult(0),
        });
        await loop.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => loop.Started >= 9);
        await loop.StopAsync(CancellationToken.None);

        var warnings = log.Entries.Where(e => e.Level == LogLevel.Warning).ToList();
        var errors = log.Entries.Where(e => e.Level >= LogLevel.Error).ToList();
        Assert.Single(warnings);
        Assert.Contains("the database cannot be reached", warnings[0].Message, StringComparison.Ordinal);
        Assert.Null(warnings[0].Exception);
        Assert.Single(log.Entries, e => e.Message.Contains("the database answers again", StringComparison.Ordinal));
        Assert.Equal("a bug", Assert.Single(errors).Exception?.Message);
    }

    [Fact]
    public async Task Each_due_time_of_a_scheduled_job_runs_once_however_many_processes_wait_for_it()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, 500, TimeSpan.Zero));
        var runs = new ConcurrentQueue<(string Process, DateTimeOffset At)>();
        var logs = new[] { new ListLogger(), new ListLogger(), new ListLogger() };
        var jobs = logs.Select((log, i) => new TestJob($"process {i}", Context(clock), log, runs)).ToList();
        foreach (var job in jobs)
        {
            await job.StartAsync(CancellationToken.None);
        }

        // Each sets its timer for 01:00 on the fake clock. The test waits for what the jobs say rather than for fixed pauses,
        // which under load (a full run on 2 cores) were not always long enough.
        var one = new DateTimeOffset(2030, 1, 1, 1, 0, 0, TimeSpan.Zero);
        var two = one.AddHours(1);
        await WaitUntilAsync(() => jobs.All(j => j.NextDueTime == one));
        await Task.Delay(200); // from working out the due time to setting the timer

        // 01:00: every process wakes; one runs (for half a second), the others find it running or done.
        clock.SetUtcNow(one.AddMilliseconds(500));
        await WaitUntilAsync(async () => await RunRowsAsync() == 1);
        // Those that found it running look again a minute later and find it done: each then waits for 02:00.
        await WaitUntilAsync(() =>
        {
            if (jobs.All(j => j.NextDueTime == two))
            {
                return true;
            }

            clock.Advance(ScheduledJob.BusyRecheck);
            Thread.Sleep(200);
            return false;
        });
        await Task.Delay(200);

        // 02:00: the next due time, once again.
        clock.SetUtcNow(two.AddMilliseconds(500));
        await WaitUntilAsync(async () => await RunRowsAsync() == 2);
        await WaitUntilAsync(() =>
        {
            if (jobs.All(j => j.NextDueTime == two.AddHours(1)))
            {
                return true;
            }

            clock.Advance(ScheduledJob.BusyRecheck);
            Thread.Sleep(200);
            return false;
        });

        foreach (var job in jobs)
        {
            await job.StopAsync(CancellationToken.None);
            job.Dispose();
        }

        Assert.Equal(2, runs.Count);
        Assert.Equal(2, runs.Select(r => r.At).Distinct().Count());
        // The processes that did not run each due time said why (it was running elsewhere, or done).
        var skipped = logs.Sum(l => l.Entries.Count(e => e.Message.Contains("another process", StringComparison.Ordinal)));
        Assert.True(skipped >= 2, $"only {skipped} skips were logged");
        Assert.DoesNotContain(logs.SelectMany(l => l.Entries), e => e.Level >= LogLevel.Warning);
    }

    private ScheduledJobContext Context(TimeProvider clock) =>
        new(Database, clock, new ConfigurationBuilder().Build(), Api.Factory.Services);

    private async Task<long> RunRowsAsync()
    {
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM jobs.job_runs WHERE job = 'test_job'");
    }

    private static async Task WaitUntilAsync(Func<bool> condition) => await WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 15 seconds");
            await Task.Delay(50);
        }
    }

    /// <summary>A loop whose batches do what the test says and count themselves; it always has more to do.</summary>
    private sealed class TestLoop(RegisterDatabase database, ILogger logger, Func<int, CancellationToken, Task<int>> batch)
        : BackgroundLoop(database, TimeProvider.System, logger)
    {
        private readonly TaskCompletionSource _firstBatch = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _started;
        private int _finished;
        private int _cancelled;

        public Task FirstBatchStarted => _firstBatch.Task;

        public int Started => Volatile.Read(ref _started);

        public int Finished => Volatile.Read(ref _finished);

        public int Cancelled => Volatile.Read(ref _cancelled);

        protected override TimeSpan FirstRetry => TimeSpan.FromMilliseconds(10);

        protected override async Task<int> RunBatchAsync(CancellationToken ct)
        {
            var number = Interlocked.Increment(ref _started);
            _firstBatch.TrySetResult();
            try
            {
                var done = await batch(number, ct);
                Interlocked.Increment(ref _finished);
                return done;
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref _cancelled);
                throw;
            }
        }

        protected override TimeSpan NextWait(int done) => TimeSpan.Zero;
    }

    /// <summary>A job due every hour that takes half a second; each process is one instance of it.</summary>
    private sealed class TestJob(string process, ScheduledJobContext context, ILogger logger, ConcurrentQueue<(string, DateTimeOffset)> runs)
        : IntervalJob(context, logger)
    {
        public override string JobName => "test_job";

        protected override TimeSpan Interval => TimeSpan.FromHours(1);

        private long _nextDue;

        /// <summary>The due time the job last worked out it waits for (null before its first).</summary>
        public DateTimeOffset? NextDueTime => Interlocked.Read(ref _nextDue) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

        protected override DateTimeOffset NextDue(DateTimeOffset now)
        {
            var next = base.NextDue(now);
            Interlocked.Exchange(ref _nextDue, next.UtcTicks);
            return next;
        }

        protected override async Task<int> RunJobAsync(CancellationToken ct)
        {
            runs.Enqueue((process, Clock.GetUtcNow()));
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
            return 1;
        }
    }
}

/// <summary>A logger that keeps what it is given, for tests of what is logged.</summary>
internal sealed class ListLogger : ILogger
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue(new Entry(logLevel, formatter(state, exception), exception));

    public sealed record Entry(LogLevel Level, string Message, Exception? Exception);
}
