using System.Reflection;
using System.Text.Json;
using Dapper;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Jobs;

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
/// Publishes what the modules' outboxes hold, oldest first, through Mediator: right after a request's commit
/// (<see cref="DispatchAfterCommitAsync"/>) and as a <see cref="BackgroundLoop"/> (a batch per module outbox every
/// <c>Outbox:PollInterval</c>, straight on while batches come back full). Rows are claimed with
/// <c>FOR UPDATE SKIP LOCKED</c> in the transaction that marks them dispatched, so two dispatchers — in one process or
/// in two processes on one database — never publish the same row at once, and a row marked dispatched is never
/// claimed again. Each batch's events go first to every <see cref="IIntegrationEventBatchConsumer"/> (all of them in one
/// call), then one by one to Mediator's notification handlers. A row is marked dispatched only after every consumer has
/// taken it, so a crash in between publishes it again and consumers must be idempotent by
/// <see cref="IIntegrationEvent.EventId"/>. A failing consumer does not fail the request that made the change: the row
/// is retried later with a growing delay.
/// </summary>
public sealed class OutboxDispatcher(
    IServiceProvider services,
    IServiceScopeFactory scopes,
    IEnumerable<ModuleOutbox> outboxes,
    IntegrationEventTypes eventTypes,
    RegisterDatabase database,
    TimeProvider clock,
    IOptions<OutboxOptions> options,
    ILogger<OutboxDispatcher> logger) : BackgroundLoop(database, clock, logger)
{
    private bool _fullBatch;

    protected override string Name => "Outbox dispatcher";

    protected override bool Enabled => options.Value.BackgroundDispatch;

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
            Logger.LogWarning(ex, "Publishing {Schema}'s notifications after commit failed; the background dispatcher will retry", schema);
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

    /// <summary>
    /// Hands events straight to every consumer as a dispatch would (the batch consumers, then Mediator's notification
    /// handlers), without an outbox row: for the tests of a consumer.
    /// </summary>
    public async Task DeliverAsync(IReadOnlyList<IIntegrationEvent> events, CancellationToken ct = default)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            foreach (var consumer in scope.ServiceProvider.GetServices<IIntegrationEventBatchConsumer>())
            {
                await consumer.ConsumeAsync(events, ct);
            }
        }

        foreach (var integrationEvent in events)
        {
            await PublishAsync(integrationEvent, ct);
        }
    }

    public Task<int> DispatchPendingAsync(string schema, CancellationToken ct = default) => DispatchBatchesAsync(schema, int.MaxValue, ct);

    private async Task<int> DispatchBatchesAsync(string schema, int maxBatches, CancellationToken ct)
    {
        var delivered = 0;
        for (var batch = 0; batch < maxBatches; batch++)
        {
            var (count, full) = await DispatchBatchAsync(schema, ct);
            delivered += count;
            if (!full)
            {
                break;
            }
        }

        return delivered;
    }

    /// <summary>Claims up to <c>Outbox:BatchSize</c> due rows of one outbox, publishes them and marks them, in one transaction.</summary>
    private async Task<(int Delivered, bool Full)> DispatchBatchAsync(string schema, CancellationToken ct)
    {
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        var delivered = 0;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // SKIP LOCKED: rows another dispatcher holds are left to it. A row it marked dispatched meanwhile is re-checked
        // against the WHERE clause once its lock is gone, so it is not taken again.
        var rows = (await connection.QueryAsync<OutboxRow>(new CommandDefinition(
            $"""
            SELECT id, type, payload::text AS payload, attempts FROM {schema}.outbox
            WHERE dispatched_at IS NULL AND next_attempt_at <= clock_timestamp()
            ORDER BY occurred_at, id
            LIMIT @BatchSize
            FOR UPDATE SKIP LOCKED
            """,
            new { options.Value.BatchSize }, transaction, cancellationToken: ct))).AsList();

        // Every claimed event is read back, handed to each batch consumer in one call, then published to the one-event
        // handlers. An event is marked dispatched only when all of them took it; a failure holds back that event alone.
        var failures = new Dictionary<Guid, Exception>();
        var events = new List<(OutboxRow Row, IIntegrationEvent Event)>(rows.Count);
        foreach (var row in rows)
        {
            try
            {
                events.Add((row, Read(row)));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures[row.Id] = ex;
            }
        }

        if (events.Count > 0)
        {
            await using var batchScope = scopes.CreateAsyncScope();
            foreach (var consumer in batchScope.ServiceProvider.GetServices<IIntegrationEventBatchConsumer>())
            {
                await ConsumeAsync(consumer, events.Where(e => !failures.ContainsKey(e.Row.Id)).ToList(), failures, ct);
            }
        }

        var dispatched = new List<Guid>(rows.Count);
        foreach (var (row, integrationEvent) in events.Where(e => !failures.ContainsKey(e.Row.Id)))
        {
            try
            {
                await PublishAsync(integrationEvent, ct);
                dispatched.Add(row.Id);
                delivered++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures[row.Id] = ex;
            }
        }

        foreach (var row in rows.Where(r => failures.ContainsKey(r.Id)))
        {
            var ex = failures[row.Id];
            Logger.LogError(ex, "Outbox event {EventId} ({Type}) of {Schema} failed in a consumer; it will be retried", row.Id, row.Type, schema);
            await connection.ExecuteAsync(new CommandDefinition(
                $"""
                UPDATE {schema}.outbox
                SET attempts = attempts + 1, last_error = @Error,
                    next_attempt_at = clock_timestamp() + make_interval(secs => least(3600, power(2, attempts + 1)))
                WHERE id = @Id
                """,
                new { row.Id, Error = ex.ToString() }, transaction, cancellationToken: ct));
        }

        // The delivered rows marked in one statement, in the claiming transaction (a crash before the commit publishes them again).
        if (dispatched.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE {schema}.outbox SET dispatched_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ANY(@ids)",
                new { ids = dispatched.ToArray() }, transaction, cancellationToken: ct));
        }

        await transaction.CommitAsync(ct);
        return (delivered, rows.Count >= options.Value.BatchSize);
    }

    /// <summary>One batch of every module's outbox; returns how many events were delivered.</summary>
    protected override async Task<int> RunBatchAsync(CancellationToken ct)
    {
        var delivered = 0;
        _fullBatch = false;
        foreach (var outbox in outboxes)
        {
            var (count, full) = await DispatchBatchAsync(outbox.Schema, ct);
            delivered += count;
            _fullBatch |= full;
        }

        if (delivered > 0)
        {
            Logger.LogInformation("Outbox: delivered {Count} pending events", delivered);
        }

        return delivered;
    }

    protected override TimeSpan NextWait(int done) => _fullBatch ? TimeSpan.Zero : options.Value.PollInterval;

    private IIntegrationEvent Read(OutboxRow row)
    {
        var type = eventTypes.Find(row.Type)
            ?? throw new InvalidOperationException($"No integration event type is registered under the name '{row.Type}'.");
        return (IIntegrationEvent)(JsonSerializer.Deserialize(row.Payload, type, Outbox.Json)
            ?? throw new InvalidOperationException($"Outbox event {row.Id} has an empty payload."));
    }

    /// <summary>
    /// Hands a batch consumer the events in one call. If that call fails, each event is handed to it alone, so that one
    /// event it cannot take holds back only itself (consumers are idempotent by event id, so those it took are harmless).
    /// </summary>
    private async Task ConsumeAsync(
        IIntegrationEventBatchConsumer consumer, List<(OutboxRow Row, IIntegrationEvent Event)> events, Dictionary<Guid, Exception> failures, CancellationToken ct)
    {
        if (events.Count == 0)
        {
            return;
        }

        try
        {
            await consumer.ConsumeAsync(events.Select(e => e.Event).ToList(), ct);
        }
        catch (Exception batchError) when (!ct.IsCancellationRequested && events.Count > 1)
        {
            Logger.LogWarning("{Consumer} failed on a batch of {Count} events ({Error}); handing it the events one by one", consumer.GetType().Name, events.Count, batchError.Message);
            foreach (var (row, integrationEvent) in events)
            {
                try
                {
                    await consumer.ConsumeAsync([integrationEvent], ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    failures[row.Id] = ex;
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            failures[events[0].Row.Id] = ex;
        }
    }

    private async Task PublishAsync(IIntegrationEvent integrationEvent, CancellationToken ct)
    {
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
