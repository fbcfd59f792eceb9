using Register.ActivityLog.Features.RecordActivity;
using Microsoft.Extensions.DependencyInjection;
using Register.BuildingBlocks.Contracts;
using Register.TestKit;

namespace Register.ActivityLog.Tests;

public sealed class ActivityLogFixture : ApiFixture
{
    /// <summary>
    /// Hands a change notification to the activity log's real consumer, as the outbox dispatcher does, for
    /// record types whose modules have not landed yet (partnerships, trainees).
    /// </summary>
    public async Task DeliverAsync(IRecordChanged change)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        await ActivatorUtilities.CreateInstance<RecordChangedHandler>(scope.ServiceProvider).Handle(change, CancellationToken.None);
    }
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
