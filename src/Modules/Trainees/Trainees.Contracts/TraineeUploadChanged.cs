using Register.BuildingBlocks.Contracts;

namespace Register.Trainees.Contracts;

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
