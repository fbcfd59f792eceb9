using Register.BuildingBlocks.Contracts;

namespace Register.BuildingBlocks.Outbox;

/// <summary>
/// A consumer that takes all the events of an outbox batch in one call, so it can write what they make in one statement:
/// the activity log's items, say, instead of one connection and insert each. Register it as a scoped or singleton
/// service; <see cref="OutboxDispatcher"/> calls every one before Mediator's notification handlers.
/// <list type="bullet">
/// <item>It is handed every event of the batch and picks those it consumes (<c>events.OfType&lt;T&gt;()</c>).</item>
/// <item>Like every consumer, it must be idempotent by <see cref="IIntegrationEvent.EventId"/>: a batch may be handed
/// to it again (a crash before the outbox marked it, or another event of the batch failing).</item>
/// <item>When a call fails, the dispatcher hands it each event of the batch alone. An event that still fails holds back
/// only itself, and is retried later.</item>
/// </list>
/// </summary>
public interface IIntegrationEventBatchConsumer
{
    ValueTask ConsumeAsync(IReadOnlyList<IIntegrationEvent> events, CancellationToken ct);
}
