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

/// <summary>
/// Adds a few example trainees (with degrees and placements) to a training provider, through the same rules and creation as
/// POST /trainees, for the demo the run command starts. Returns their trainee ids; a provider that has trainees gets none.
/// </summary>
public sealed record SeedDemoTrainees(Guid ProviderId) : Mediator.IRequest<IReadOnlyList<string>>;

/// <summary>A CSV upload of trainees was made, or moved on (validated, submitted, succeeded, failed, cancelled); in the provider's timeline.</summary>
public sealed record TraineeUploadChanged(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid RecordId,
    string Action,
    Actor Actor,
    IReadOnlyList<FieldChange> Changes,
    Guid ProviderId) : IRecordChanged
{
    public string RecordType => "trainee_upload";

    public IReadOnlyList<Guid> ProviderIds => [ProviderId];
}
