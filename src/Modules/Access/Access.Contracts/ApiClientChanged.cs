using Register.BuildingBlocks.Contracts;

namespace Register.Access.Contracts;

/// <summary>An API client was created, renamed, revoked or deleted.</summary>
public sealed record ApiClientChanged(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid RecordId,
    string Action,
    Actor Actor,
    IReadOnlyList<FieldChange> Changes,
    string Name,
    string Audience,
    Guid? OrganisationId) : IRecordChanged
{
    public string? RecordName => Name;

    public string RecordType => "api_client";

    /// <summary>A token scoped to a training provider shows in that provider's timeline too.</summary>
    public IReadOnlyList<Guid> ProviderIds => OrganisationId is { } id && Audience == "trainees_api" ? [id] : [];
}
