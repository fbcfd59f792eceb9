using Mediator;

namespace Register.BuildingBlocks.Contracts;

/// <summary>
/// A notification one module publishes for others. It is written to the publishing module's outbox in
/// the same transaction as the change, and delivered after commit; <see cref="EventId"/> lets consumers
/// ignore a second delivery.
/// </summary>
public interface IIntegrationEvent : INotification
{
    Guid EventId { get; }

    DateTimeOffset OccurredAt { get; }
}

/// <summary>
/// A change to a record that belongs in the activity log: what changed, the action, who did it, and
/// the providers whose timelines it appears in.
/// </summary>
public interface IRecordChanged : IIntegrationEvent
{
    /// <summary>What kind of record changed, in snake_case: <c>api_client</c>, <c>provider</c>, <c>trainee</c>.</summary>
    string RecordType { get; }

    Guid RecordId { get; }

    /// <summary>What happened to it: <see cref="RecordActions"/>.</summary>
    string Action { get; }

    Actor Actor { get; }

    IReadOnlyList<FieldChange> Changes { get; }

    /// <summary>The providers whose timelines show this change (empty for changes that only the global timeline shows).</summary>
    IReadOnlyList<Guid> ProviderIds { get; }

    /// <summary>What the record is called, for records that no provider names (a user, an API client): the activity log's card title.</summary>
    string? RecordName => null;
}

/// <summary>The verbs the activity log knows.</summary>
public static class RecordActions
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Revoked = "revoked";
    public const string Deleted = "deleted";
    public const string Archived = "archived";
    public const string Restored = "restored";
}

/// <summary>Who made a change: a person signed in to the web pages, an API client (support token, SRS vendor, lead provider) or the system itself.</summary>
/// <param name="Type"><c>user</c>, <c>api_client</c> or <c>system</c>.</param>
/// <param name="Id">The user's or API client's id; null for the system.</param>
/// <param name="Name">What a person reading the activity log sees.</param>
public sealed record Actor(string Type, Guid? Id, string Name)
{
    public static Actor System { get; } = SystemTask("System");

    /// <summary>The seed-data imports of every module.</summary>
    public static Actor SeedImport { get; } = SystemTask("Seed data import");

    /// <summary>Someone running Register's command line (issuing or revoking tokens).</summary>
    public static Actor CommandLine { get; } = SystemTask("Register command line");

    /// <summary>Register itself, doing the named task.</summary>
    public static Actor SystemTask(string name) => new("system", null, name);

    public static Actor ApiClient(Guid id, string name) => new("api_client", id, name);

    public static Actor User(Guid id, string name) => new("user", id, name);
}

/// <summary>One field of a record, before and after a change, as text for people to read.</summary>
public sealed record FieldChange(string Field, string? OldValue, string? NewValue);
