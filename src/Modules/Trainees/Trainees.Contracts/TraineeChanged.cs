using Register.BuildingBlocks.Contracts;

namespace Register.Trainees.Contracts;

/// <summary>
/// A trainee record changed: the trainee itself (<see cref="RecordType"/> <c>trainee</c>), or one of its degrees or
/// placements (<c>degree</c>, <c>placement</c>). <see cref="RecordId"/> is always the trainee's id, so a trainee's
/// timeline shows its degrees and placements too; it shows in the training provider's timeline.
/// </summary>
public sealed record TraineeChanged(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string RecordType,
    Guid RecordId,
    string Action,
    Actor Actor,
    IReadOnlyList<FieldChange> Changes,
    Guid ProviderId) : IRecordChanged
{
    public IReadOnlyList<Guid> ProviderIds => [ProviderId];
}
