using Register.BuildingBlocks.Contracts;

namespace Register.Trainees.Contracts;

/// <summary>
/// Support erased a trainee's personal data (ADR 16). The trainee record stays, its personal values gone; whoever keeps a
/// copy of those values must redact it: the activity log replaces the values of <see cref="Fields"/> in every item of the
/// record (of the record types listed there) with <see cref="ErasedFields.Marker"/>, keeping the fields' names, the
/// action, who and when. It is itself a change for the activity log ("Trainee erased"), with the reason and no personal value.
/// </summary>
public sealed record TraineeErased(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid RecordId,
    Actor Actor,
    string Reason,
    Guid ProviderId,
    IReadOnlyList<ErasedFields> Fields) : IRecordChanged
{
    public const string ErasedAction = "erased";

    public string RecordType => TraineeRecords.Trainee;

    public string Action => ErasedAction;

    public IReadOnlyList<FieldChange> Changes => [new("erasure_reason", null, Reason)];

    public IReadOnlyList<Guid> ProviderIds => [ProviderId];
}

/// <summary>
/// The fields of one record type whose values are personal data, as the record's notifications name them. A record type
/// listed with no fields is still the erased record's (its items are the record's history, and age out with it).
/// </summary>
public sealed record ErasedFields(string RecordType, IReadOnlyList<string> Fields)
{
    /// <summary>What an erased value reads as, wherever a copy of it was kept.</summary>
    public const string Marker = "[erased]";

    /// <summary>The changes with the values of erased fields replaced by <see cref="Marker"/> (a value that was empty stays empty).</summary>
    public static IReadOnlyList<FieldChange> Redact(IEnumerable<ErasedFields> erased, string recordType, IReadOnlyList<FieldChange> changes)
    {
        var fields = erased.Where(e => e.RecordType == recordType).SelectMany(e => e.Fields).ToHashSet(StringComparer.Ordinal);
        return fields.Count == 0
            ? changes
            : changes.Select(c => fields.Contains(c.Field) ? c with { OldValue = Hide(c.OldValue), NewValue = Hide(c.NewValue) } : c).ToList();
    }

    private static string? Hide(string? value) => value is null ? null : Marker;
}

/// <summary>The record types of a trainee's history: a trainee's degrees and placements are reported with the trainee's id.</summary>
public static class TraineeRecords
{
    public const string Trainee = "trainee";
    public const string Degree = "degree";
    public const string Placement = "placement";

    public static IReadOnlyList<string> Types { get; } = [Trainee, Degree, Placement];
}
