using System.Globalization;
using Register.Trainees.Domain;
using Register.Trainees.ReferenceData;

namespace Register.Trainees.Features.Trainees;

/// <summary>
/// How the trainee pages word a record's values: states as the reference's status tags ("Pending TRN", "QTS awarded"),
/// HESA codes by their labels (the API's labels, <c>data/hesa/labels</c>), and a code the lists do not know as itself.
/// </summary>
internal static class TraineeLabels
{
    /// <summary>The states a listed trainee can be in, in the order of a trainee's life, with the filter's labels.</summary>
    public static IReadOnlyList<(string State, string Label)> States { get; } =
    [
        (TraineeStates.SubmittedForTrn, "Pending TRN"),
        (TraineeStates.TrnReceived, "TRN received"),
        (TraineeStates.RecommendedForAward, "QTS or EYTS recommended"),
        (TraineeStates.Awarded, "QTS or EYTS awarded"),
        (TraineeStates.Deferred, "Deferred"),
        (TraineeStates.Withdrawn, "Withdrawn"),
    ];

    /// <summary>A trainee's status tag: its text (the award of its route: "QTS recommended", "EYTS awarded") and colour.</summary>
    public static (string Text, string? Colour) Status(string state, string route)
    {
        var award = TrainingRoutes.ByCode(route)?.Award ?? "QTS";
        return state switch
        {
            TraineeStates.SubmittedForTrn => ("Pending TRN", "turquoise"),
            TraineeStates.TrnReceived => ("TRN received", "blue"),
            TraineeStates.RecommendedForAward => ($"{award} recommended", "purple"),
            TraineeStates.Awarded => ($"{award} awarded", null),
            TraineeStates.Deferred => ("Deferred", "yellow"),
            TraineeStates.Withdrawn => ("Withdrawn", "red"),
            _ => (state, "grey"),
        };
    }

    public static string? Code(CodeList list, string? code) => string.IsNullOrEmpty(code) ? null : list.Label(code);

    public static string Route(string code) => Code(HesaCodes.Instance.TrainingRoute, code) ?? code;

    public static string? Subject(string? code) => Code(HesaCodes.Instance.CourseSubject, code);

    /// <summary>"11 to 16" (the list's labels are the long names of the accreditation).</summary>
    public static string? AgeRange(string? code) =>
        HesaCodes.Instance.CourseAgeRange.ByCode(code) is { Ages: { } ages }
            ? string.Create(CultureInfo.InvariantCulture, $"{ages.Min} to {ages.Max}")
            : Code(HesaCodes.Instance.CourseAgeRange, code);

    public static string? Initiative(string? name) =>
        name is null ? null : HesaCodes.Instance.TrainingInitiative.ByName(name)?.DisplayName ?? name;

    public static string? WithdrawalReason(string code, string? trigger) =>
        WithdrawalReasons.For(trigger).FirstOrDefault(r => r.Code == code)?.DisplayName
        ?? WithdrawalReasons.All.FirstOrDefault(r => r.Code == code)?.DisplayName
        ?? code;

    public static string Name(Trainee t) => string.Join(' ', new[] { t.FirstNames, t.MiddleNames, t.LastName }.Where(n => !string.IsNullOrWhiteSpace(n)));
}
