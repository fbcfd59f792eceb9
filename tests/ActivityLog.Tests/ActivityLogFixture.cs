using Microsoft.Extensions.DependencyInjection;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Outbox;
using Register.TestKit;

namespace Register.ActivityLog.Tests;

public sealed class ActivityLogFixture : ApiFixture
{
    /// <summary>
    /// Hands a change notification to every consumer, as the outbox dispatcher does, for record types no module of this
    /// test's makes (changes of another module's kind, at chosen times).
    /// </summary>
    public Task DeliverAsync(IRecordChanged change) => Factory.Services.GetRequiredService<OutboxDispatcher>().DeliverAsync([change]);
}

[CollectionDefinition(Name)]
public sealed class ActivityLogCollection : ICollectionFixture<ActivityLogFixture>
{
    public const string Name = "activity-log";
}

/// <summary>A change of a kind another module will publish, e.g. a partnership between two providers.</summary>
public sealed record OtherModuleChange(
    Guid EventId, DateTimeOffset OccurredAt, string RecordType, Guid RecordId, string Action, Actor Actor,
    IReadOnlyList<FieldChange> Changes, IReadOnlyList<Guid> ProviderIds) : IRecordChanged;
