using System.Reflection;
using System.Text.Json;
using Dapper;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;

namespace Register.BuildingBlocks.Outbox;

public sealed class OutboxOptions
{
    /// <summary>Publish a change's notifications in the request that made it, right after commit.</summary>
    public bool DispatchAfterCommit { get; set; } = true;

    /// <summary>Also publish in the background: at startup (what a previous process left) and every <see cref="PollInterval"/>.</summary>
    public bool BackgroundDispatch { get; set; } = true;

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    public int BatchSize { get; set; } = 100;
}

/// <summary>
/// Publishes what the modules' outboxes hold, oldest first, through Mediator. Rows are claimed with
/// <c>FOR UPDATE SKIP LOCKED</c>, so two dispatchers never publish the same row at once; a row is marked
/// dispatched only after every consumer has run, so a crash in between publishes it again and consumers
/// must be idempotent by <see cref="IIntegrationEvent.EventId"/>. A failing consumer does not fail the
/// request that made the change: the row is retried later with a growing delay.
/// </summary>
public sealed class OutboxDispatcher(
    IServiceProvider services,
    IServiceScopeFactory scopes,
    IEnumerable<ModuleOutbox> outboxes,
    IntegrationEventTypes eventTypes,
    RegisterDatabase database,
    IOptions<OutboxOptions> options,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    /// <summary>
    /// Publishes one batch of the pending events of <paramref name="schema"/> now, if dispatch after commit is on:
    /// the request's own events (the oldest pending ones, normally); a backlog is left to the background loop.
    /// </summary>
    /// <remarks>Best effort: the change is committed, so a failure here is logged, never thrown; the background loop retries.</remarks>
    public async Task DispatchAfterCommitAsync(string schema, CancellationToken ct = default)
    {
        if (!options.Value.DispatchAfterCommit)
        {
            return;
        }

        try
        {
            await DispatchBatchesAsync(schema, maxBatches: 1, ct);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            logger.LogWarning(ex, "Publishing {Schema}'s notifications after commit failed; the background dispatcher will retry", schema);
        }
    }

    /// <summary>Publishes every pending event of every module; returns how many were delivered.</summary>
    public async Task<int> DispatchAllPendingAsync(CancellationToken ct = default)
    {
        var delivered = 0;
        foreach (var outbox in outboxes)
        {
            delivered += await DispatchPendingAsync(outbox.Schema, ct);
        }

        return delivered;
    }

    public Task<int> DispatchPendingAsync(string schema, CancellationToken ct = default) => DispatchBatchesAsync(schema, int.MaxValue, ct);

    private async Task<int> DispatchBatchesAsync(string schema, int maxBatches, CancellationToken ct)
    {
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        var delivered = 0;
        for (var batch = 0; batch < maxBatches; batch++)
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var rows = (await connection.QueryAsync<OutboxRow>(new CommandDefinition(
                $"""
                SELECT id, type, payload::text AS payload, attempts FROM {schema}.outbox
                WHERE dispatched_at IS NULL AND next_attempt_at <= clock_timestamp()
                ORDER BY occurred_at, id
                LIMIT @BatchSize
                FOR UPDATE SKIP LOCKED
                """,
                new { options.Value.BatchSize }, transaction, cancellationToken: ct))).AsList();

            foreach (var row in rows)
            {
                try
                {
                    await PublishAsync(row, ct);
                    await connection.ExecuteAsync(new CommandDefinition(
                        $"UPDATE {schema}.outbox SET dispatched_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = @Id",
                        new { row.Id }, transaction, cancellationToken: ct));
                    delivered++;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Outbox event {EventId} ({Type}) of {Schema} failed in a consumer; it will be retried", row.Id, row.Type, schema);
                    await connection.ExecuteAsync(new CommandDefinition(
                        $"""
                        UPDATE {schema}.outbox
                        SET attempts = attempts + 1, last_error = @Error,
                            next_attempt_at = clock_timestamp() + make_interval(secs => least(3600, power(2, attempts + 1)))
                        WHERE id = @Id
                        """,
                        new { row.Id, Error = ex.ToString() }, transaction, cancellationToken: ct));
                }
            }

            await transaction.CommitAsync(ct);
            if (rows.Count < options.Value.BatchSize)
            {
                break;
            }
        }

        return delivered;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.BackgroundDispatch)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (database.IsMigrated)
                {
                    var delivered = await DispatchAllPendingAsync(stoppingToken);
                    if (delivered > 0)
                    {
                        logger.LogInformation("Outbox: delivered {Count} pending events", delivered);
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogFailedRound(ex, "Outbox dispatch failed; trying again in {Interval}", options.Value.PollInterval);
            }

            try
            {
                await Task.Delay(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task PublishAsync(OutboxRow row, CancellationToken ct)
    {
        var type = eventTypes.Find(row.Type)
            ?? throw new InvalidOperationException($"No integration event type is registered under the name '{row.Type}'.");
        var integrationEvent = JsonSerializer.Deserialize(row.Payload, type, Outbox.Json)
            ?? throw new InvalidOperationException($"Outbox event {row.Id} has an empty payload.");
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IPublisher>().Publish(integrationEvent, ct);
    }

    private sealed record OutboxRow(Guid Id, string Type, string Payload, int Attempts);
}

/// <summary>The integration event types the outbox can read back, by their full type name.</summary>
public sealed class IntegrationEventTypes(IEnumerable<ModuleOutbox> outboxes)
{
    private readonly Dictionary<string, Type> _types = outboxes
        .SelectMany(o => o.ContractsAssembly.GetExportedTypes())
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IIntegrationEvent).IsAssignableFrom(t))
        .Distinct()
        .ToDictionary(t => t.FullName!, StringComparer.Ordinal);

    public Type? Find(string name) => _types.GetValueOrDefault(name);
}

public static class OutboxServiceCollectionExtensions
{
    public static IServiceCollection AddOutbox(this IServiceCollection services, Action<OutboxOptions>? configure = null)
    {
        services.AddOptions<OutboxOptions>().BindConfiguration("Outbox");
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.AddSingleton<IntegrationEventTypes>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        return services;
    }

    /// <summary>
    /// Registers a module's outbox table, <c>&lt;schema&gt;.outbox</c>, and the integration events its contracts
    /// assembly declares, so the dispatcher can read them back.
    /// </summary>
    public static IServiceCollection AddModuleOutbox(this IServiceCollection services, string schema, Assembly contractsAssembly) =>
        services.AddSingleton(new ModuleOutbox(schema, contractsAssembly));
}

/// <summary>A module that publishes integration events through its outbox.</summary>
public sealed record ModuleOutbox(string Schema, Assembly ContractsAssembly);
