using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Security;

namespace Register.Access.Features.ApiUsage;

/// <summary><c>ApiUsage:FlushInterval</c> (10 seconds) and <c>ApiUsage:KeepMonths</c> (13).</summary>
internal sealed class ApiUsageOptions
{
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(10);

    public int KeepMonths { get; set; } = 13;
}

/// <summary>
/// Counts every API request that an API client makes, by client, London day, endpoint (its route) and status class,
/// in memory; every <c>ApiUsage:FlushInterval</c> (and when Register stops) the counts are added to
/// <c>access.api_client_usage</c> in one statement, so the hot path never writes. Rows older than
/// <c>ApiUsage:KeepMonths</c> are removed once a day.
/// </summary>
internal sealed class ApiUsageRecorder(NpgsqlDataSource db, RegisterDatabase database, TimeProvider clock, IOptions<ApiUsageOptions> options, ILogger<ApiUsageRecorder> logger)
    : BackgroundService
{
    private readonly Lock _swap = new();
    private Dictionary<Key, int> _counts = [];
    private DateOnly _lastPruned;

    internal readonly record struct Key(Guid ClientId, DateOnly Day, string Endpoint, short StatusClass);

    public void Record(HttpContext context)
    {
        if (Caller.From(context.User) is not { } caller)
        {
            return;
        }

        var endpoint = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no endpoint)";
        var key = new Key(caller.ClientId, clock.TodayInLondon(), endpoint, (short)Math.Clamp(context.Response.StatusCode / 100, 1, 5));
        lock (_swap)
        {
            _counts[key] = _counts.GetValueOrDefault(key) + 1;
        }
    }

    /// <summary>Adds the counts so far to the database.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        KeyValuePair<Key, int>[] rows;
        lock (_swap)
        {
            rows = [.. _counts];
            _counts = [];
        }

        if (rows.Length == 0)
        {
            return;
        }

        try
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO access.api_client_usage (client_id, day, endpoint, status_class, requests)
                SELECT * FROM unnest(@clients, @days, @endpoints, @classes, @requests)
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
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            // Put them back, to be added with the next batch.
            lock (_swap)
            {
                foreach (var (key, value) in rows)
                {
                    _counts[key] = _counts.GetValueOrDefault(key) + value;
                }
            }

            logger.LogWarning("Could not save API usage ({Count} counts kept for the next try): {Message}", rows.Length, ex.Message);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.FlushInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (!database.IsMigrated)
            {
                continue;
            }

            await FlushAsync(stoppingToken);
            await PruneAsync(stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (database.IsMigrated)
        {
            await FlushAsync(cancellationToken);
        }
    }

    private async Task PruneAsync(CancellationToken ct)
    {
        var today = clock.TodayInLondon();
        if (_lastPruned == today)
        {
            return;
        }

        try
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM access.api_client_usage WHERE day < @oldest", new { oldest = today.AddMonths(-options.Value.KeepMonths) }, cancellationToken: ct));
            _lastPruned = today;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            logger.LogWarning("Could not remove old API usage: {Message}", ex.Message);
        }
    }
}

/// <summary>Puts the usage count at the start of the pipeline: it reads the caller and status once the request is done.</summary>
internal sealed class ApiUsageStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        var recorder = app.ApplicationServices.GetService(typeof(ApiUsageRecorder)) as ApiUsageRecorder;
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
