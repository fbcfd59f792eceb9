using Register.BuildingBlocks.Contracts;

namespace Register.Providers.Contracts;

/// <summary>
/// A provider was created, updated, archived, restored or deleted, or its accreditation status changed.
/// <see cref="Provider"/> is its state after the change: other modules keep their local copies from it.
/// </summary>
public sealed record ProviderChanged(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string Action,
    Actor Actor,
    IReadOnlyList<FieldChange> Changes,
    ProviderSnapshot Provider) : IRecordChanged
{
    public string RecordType => "provider";

    public Guid RecordId => Provider.Id;

    public IReadOnlyList<Guid> ProviderIds => [Provider.Id];
}

/// <summary>What other modules may know of a provider.</summary>
public sealed record ProviderSnapshot(
    Guid Id,
    string RotpId,
    string Code,
    string OperatingName,
    string? LegalName,
    string ProviderType,
    string AccreditationStatus,
    string Ukprn,
    string? Urn,
    DateTimeOffset? ArchivedAt,
    DateTimeOffset? DeletedAt);

/// <summary>
/// A provider's accreditation, address or contact (<see cref="RecordType"/> <c>accreditation</c>,
/// <c>address</c>, <c>contact</c>) was added, updated or deleted.
/// </summary>
public sealed record ProviderPartChanged(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string RecordType,
    Guid RecordId,
    Guid ProviderId,
    string Action,
    Actor Actor,
    IReadOnlyList<FieldChange> Changes) : IRecordChanged
{
    public IReadOnlyList<Guid> ProviderIds => [ProviderId];
}

/// <summary>
/// Every provider that is not deleted, as other modules may know it: answered by the Providers module so a
/// module that keeps a local copy can fill it when it first starts (notifications only carry what changes next).
/// </summary>
public sealed record ListProviderSnapshots : Mediator.IRequest<IReadOnlyList<ProviderSnapshot>>;

/// <summary>For a consumer of a whole outbox batch (a module's copy of providers): the batch's provider changes.</summary>
public static class ProviderChanges
{
    /// <summary>The newest <see cref="ProviderChanged"/> of each provider in <paramref name="events"/>, by (occurred at, event id), the order copies move forward in.</summary>
    public static List<ProviderChanged> NewestOfEach(IEnumerable<IIntegrationEvent> events) =>
        events.OfType<ProviderChanged>().GroupBy(e => e.Provider.Id).Select(g => g.MaxBy(e => (e.OccurredAt, e.EventId))!).ToList();
}
