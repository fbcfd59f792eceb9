namespace Register.Trainees.Domain;

/// <summary>
/// What a training route means for a trainee (spec §5.1): the award, whether a degree and placements are needed,
/// and whether it is an early-years route. Which routes an API version accepts is the version's business.
/// </summary>
internal sealed record TrainingRoute(
    string Code,
    string Name,
    string Award,
    bool Undergraduate,
    int? MinimumPlacements,
    bool EarlyYears,
    int? FirstStartYear = null)
{
    public bool DegreeRequired => !Undergraduate;

    public bool Iqts => Code == TrainingRoutes.IqtsCode;

    public string CourseLevel => Undergraduate ? "undergrad" : "postgrad";
}

internal static class TrainingRoutes
{
    public const string IqtsCode = "15";

    public static IReadOnlyList<TrainingRoute> All { get; } =
    [
        new("02", "school_direct_tuition_fee", "QTS", false, 2, false),
        new("03", "school_direct_salaried", "QTS", false, 2, false),
        new("09", "opt_in_undergrad", "QTS", true, 2, false),
        new("10", "pg_teaching_apprenticeship", "QTS", false, 2, false),
        new("11", "provider_led_undergrad", "QTS", true, 2, false),
        new("12", "provider_led_postgrad", "QTS", false, 2, false, FirstStartYear: 2022),
        new("14", "teacher_degree_apprenticeship", "QTS", true, 2, false),
        new("15", "iqts", "QTS", false, 1, false),
        new("16", "assessment_only", "QTS", false, null, false),
        new("17", "early_years_assessment_only", "EYTS", false, null, true),
        new("18", "early_years_undergrad", "EYTS", true, 0, true),
        new("19", "early_years_postgrad", "EYTS", false, 0, true),
        new("20", "early_years_salaried", "EYTS", false, 0, true),
        new("21", "hpitt_postgrad", "QTS", false, 2, false),
    ];

    private static readonly Dictionary<string, TrainingRoute> ByCodeMap = All.ToDictionary(r => r.Code);

    public static TrainingRoute? ByCode(string? code) => code is not null && ByCodeMap.TryGetValue(code, out var route) ? route : null;
}
