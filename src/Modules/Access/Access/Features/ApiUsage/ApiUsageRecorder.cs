using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Jobs;
using Register.BuildingBlocks.Security;

namespace Register.Access.Features.ApiUsage;

/// <summary><c>ApiUsage:Enabled</c> (true), <c>ApiUsage:FlushInterval</c> (10 seconds) and <c>ApiUsage:KeepMonths</c> (13).</summary>
internal sealed class ApiUsageOptions
{
    /// <summary>False: requests are not counted in this process (the benchmark of its cost; an operator's switch).</summary>
    public bool Enabled { get; set; } = true;

    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(10);

    public int KeepMonths { get; set; } = 13;
}

/// <summary>
/// Counts every API request that an API client makes, by client, London day, endpoint (its route) and status class,
/// in memory. A <see cref="BackgroundLoop"/>: every <c>ApiUsage:FlushInterval</c> (and once more when Register stops) the
/// counts are added to <c>access.api_client_usage</c> in one statement, so the hot path never writes. The statement adds
/// to what is there (<c>requests = requests + excluded.requests</c>), in key order, so several Register processes on one
/// database add up without losing a count or deadlocking each other. Rows older than <c>ApiUsage:KeepMonths</c> are
/// removed by <see cref="ApiUsagePruneJob"/>.
/// </summary>
internal sealed class ApiUsageRecorder(NpgsqlDataSource db, RegisterDatabase database, TimeProvider clock, IOptions<ApiUsageOptions> options, ILogger<ApiUsageRecorder> logger)
    : BackgroundLoop(database, clock, logger)
{
    private readonly Lock _swap = new();
    private Dictionary<Key, int> _counts = [];

    internal readonly record struct Key(Guid ClientId, DateOnly Day, string Endpoint, short StatusClass);

    protected override string Name => "API usage recorder";

    public void Record(HttpContext context)
    {
        if (Caller.From(context.User) is not { } caller)
        {
            return;
        }

        var endpoint = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no endpoint)";
        var key = new Key(caller.ClientId, Clock.TodayInLondon(), endpoint, (short)Math.Clamp(context.Response.StatusCode / 100, 1, 5));
        lock (_swap)
        {
            _counts[key] = _counts.GetValueOrDefault(key) + 1;
        }
    }

    /// <summary>Adds the counts so far to the database; returns how many rows it wrote. A failed write keeps them for the next, and throws.</summary>
    public async Task<int> FlushAsync(CancellationToken ct)
    {
        KeyValuePair<Key, int>[] rows;
        lock (_swap)
        {
            rows = [.. _counts];
            _counts = [];
        }

        if (rows.Length == 0)
        {
            return 0;
        }

        try
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            // ORDER BY: every process locks the rows it adds to in the same order, so two flushes wait for each other, never deadlock.
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO access.api_client_usage (client_id, day, endpoint, status_class, requests)
                SELECT * FROM unnest(@clients, @days, @endpoints, @classes, @requests) AS u(client_id, day, endpoint, status_class, requests)
                ORDER BY client_id, day, endpoint, status_class
                ON CONFLICT (client_id, day, endpoint, status_class) DO UPDATE SET requests = access.api_client_usage.requests + excluded.requests
                """,
                new
                {
                    clients = rows.Select(r => r.Key.ClientId).ToArray(),
                    days = rows.Select(r => r.Key.Day).ToArray(),
                    endpoints = rows.Select(r => r.Key.Endpoint).ToArray(),
                    classes = rows.Select(r => r.Key.StatusClass).ToArray(),
                    requests = rows.Select(r => r.Value).ToArray(),
                },
                cancellationToken: ct));
            return rows.Length;
        }
        catch
        {
            // Put them back, to be added with the next batch.
            lock (_swap)
            {
                foreach (var (key, value) in rows)
                {
                    _counts[key] = _counts.GetValueOrDefault(key) + value;
                }
            }

            throw;
        }
    }

    protected override Task<int> RunBatchAsync(CancellationToken ct) => FlushAsync(ct);

    protected override TimeSpan NextWait(int done) => options.Value.FlushInterval;

    // The counts of the requests answered since the last flush (Kestrel has drained them by now).
    protected override Task OnStoppedAsync(CancellationToken ct) => FlushAsync(ct);
}

/// <summary>Every day at 03:00 (London), and at startup if that was missed: removes usage rows older than <c>ApiUsage:KeepMonths</c>.</summary>
internal sealed class ApiUsagePruneJob(ScheduledJobContext context, NpgsqlDataSource db, IOptions<ApiUsageOptions> options, ILogger<ApiUsagePruneJob> logger)
    : DailyJob(context, logger)
{
    public override string JobName => "api_usage_prune";

    protected override TimeOnly RunsAt { get; } = new(3, 0);

    protected override bool CatchesUpAtStartup => true;

    protected override async Task<int> RunJobAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM access.api_client_usage WHERE day < @oldest", new { oldest = Clock.TodayInLondon().AddMonths(-options.Value.KeepMonths) }, cancellationToken: ct));
    }
}

/// <summary>Puts the usage count at the start of the pipeline: it reads the caller and status once the request is done.</summary>
internal sealed class ApiUsageStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        var recorder = app.ApplicationServices.GetService(typeof(ApiUsageRecorder)) as ApiUsageRecorder;
        if ((app.ApplicationServices.GetService(typeof(IOptions<ApiUsageOptions>)) as IOptions<ApiUsageOptions>)?.Value.Enabled == false)
        {
            next(app);
            return;
        }

        app.Use(async (context, nextMiddleware) =>
        {
            try
            {
                await nextMiddleware(context);
            }
            finally
            {
                recorder?.Record(context);
            }
        });
        next(app);
    };
}

/// <summary>One London day of a client's usage.</summary>
internal sealed record UsageDay(DateOnly Day, int Requests, int Errors);

internal static class ApiUsageQueries
{
    /// <summary>The client's requests and errors (4xx and 5xx) on each of the last <paramref name="days"/> London days, newest first, days without any included.</summary>
    public static async Task<IReadOnlyList<UsageDay>> LastDaysAsync(NpgsqlConnection connection, Guid clientId, DateOnly today, int days, CancellationToken ct)
    {
        var rows = (await connection.QueryAsync<UsageDay>(new CommandDefinition(
            """
            SELECT day, sum(requests)::int AS requests, coalesce(sum(requests) FILTER (WHERE status_class >= 4), 0)::int AS errors
            FROM access.api_client_usage WHERE client_id = @clientId AND day > @from GROUP BY day
            """,
            new { clientId, from = today.AddDays(-days) }, cancellationToken: ct))).ToDictionary(r => r.Day);
        return Enumerable.Range(0, days).Select(i => today.AddDays(-i)).Select(d => rows.GetValueOrDefault(d) ?? new UsageDay(d, 0, 0)).ToList();
    }
}
