using System.ComponentModel;
using Register.Trainees.Api;

namespace Register.Trainees.Features.ReferenceData;

// What GET /reference-data answers: documentation only (docs/adr/0018); the slice answers JSON nodes made once.

[ExactKeys]
[Description("Every HESA code list the API takes, by its field name, and the withdrawal reasons.")]
internal sealed record ReferenceDataAll(
    ReferenceDataList Country,
    ReferenceDataList CourseAgeRange,
    ReferenceDataList CourseSubject,
    ReferenceDataList DegreeSubject,
    ReferenceDataList DegreeGrade,
    ReferenceDataList DegreeType,
    ReferenceDataList Disability,
    ReferenceDataList Ethnicity,
    ReferenceDataList FundCode,
    ReferenceDataList FundingMethod,
    ReferenceDataList Institution,
    ReferenceDataList IttAim,
    ReferenceDataList Nationality,
    ReferenceDataList IttQualificationAim,
    ReferenceDataList Sex,
    ReferenceDataList StudyMode,
    ReferenceDataList TrainingRoute,
    ReferenceDataList TrainingInitiative,
    WithdrawalReasonList WithdrawalReasons);

[ExactKeys]
[Description("One HESA code list: what it is, and its codes with their labels.")]
internal sealed record ReferenceDataList(ReferenceDataMetadata Metadata, IReadOnlyList<ReferenceDataEntry> Entries);

[ExactKeys]
internal sealed record ReferenceDataMetadata
{
    [Description("The list's name.")]
    public required string Name { get; init; }

    public required string DisplayName { get; init; }

    [Description("What the list is, where there is more to say.")]
    public string? Description { get; init; }
}

[ExactKeys]
internal sealed record ReferenceDataEntry(
    [property: Description("The code to send.")] string Code,
    [property: Description("Its label.")] string DisplayName,
    [property: Description("The first academic cycle the code is valid in, if it has one.")] int? StartYear,
    [property: Description("The last academic cycle the code is valid in, if it has one.")] int? EndYear);

[ExactKeys]
[Description("The withdrawal reasons, the triggers and the future interests a withdrawal takes.")]
internal sealed record WithdrawalReasonList(
    ReferenceDataMetadata Metadata,
    [property: Description("Who may decide a withdrawal: provider, trainee.")] IReadOnlyList<string> Triggers,
    IReadOnlyList<string> FutureInterest,
    IReadOnlyList<WithdrawalReasonEntry> Entries);

[ExactKeys]
internal sealed record WithdrawalReasonEntry(
    [property: Description("The reason's code.")] string Code,
    string DisplayName,
    [property: Description("The trigger the reason is valid for.")] string Trigger,
    [property: Description("another_reason must be sent with it.")] bool RequiresAnotherReason,
    [property: Description("safeguarding_concern_reasons must be sent with it.")] bool RequiresSafeguardingConcernReasons);
