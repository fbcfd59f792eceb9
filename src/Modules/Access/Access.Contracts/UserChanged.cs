using Register.BuildingBlocks.Contracts;

namespace Register.Access.Contracts;

/// <summary>A support or API user was added, changed (names, email, role, active) or deleted.</summary>
public sealed record UserChanged(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid RecordId,
    string Action,
    Actor Actor,
    IReadOnlyList<FieldChange> Changes,
    string Name) : IRecordChanged
{
    public string? RecordName => Name;

    public string RecordType => "user";

    public IReadOnlyList<Guid> ProviderIds => [];
}
