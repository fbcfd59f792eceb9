namespace Register.Trainees.Domain;

/// <summary>
/// What a training route means for a trainee (spec §5.1): the award, whether a degree and placements are needed,
/// and which sections of the record apply. Which routes an API version accepts is the version's business.
/// </summary>
internal sealed record TrainingRoute(
    string Code,
    string Name,
    string Award,
    bool Undergraduate,
    int? MinimumPlacements,
    bool TrainingPartnerRoute,
    bool EmployingSchoolRoute,
    bool StudyModeRequired,
    bool FundingSection,
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
        new("02", "school_direct_tuition_fee", "QTS", false, 2, true, false, true, true, false),
        new("03", "school_direct_salaried", "QTS", false, 2, true, true, true, true, false),
        new("09", "opt_in_undergrad", "QTS", true, 2, false, false, true, true, false),
        new("10", "pg_teaching_apprenticeship", "QTS", false, 2, true, true, true, true, false),
        new("11", "provider_led_undergrad", "QTS", true, 2, true, false, true, true, false),
        new("12", "provider_led_postgrad", "QTS", false, 2, true, false, true, true, false, FirstStartYear: 2022),
        new("14", "teacher_degree_apprenticeship", "QTS", true, 2, true, true, true, true, false),
        new("15", "iqts", "QTS", false, 1, true, false, true, false, false),
        new("16", "assessment_only", "QTS", false, null, false, false, false, true, false),
        new("17", "early_years_assessment_only", "EYTS", false, null, false, false, false, true, true),
        new("18", "early_years_undergrad", "EYTS", true, 0, true, false, true, true, true),
        new("19", "early_years_postgrad", "EYTS", false, 0, false, false, true, true, true),
        new("20", "early_years_salaried", "EYTS", false, 0, true, true, true, true, true),
        new("21", "hpitt_postgrad", "QTS", false, 2, false, false, true, true, false),
    ];

    private static readonly Dictionary<string, TrainingRoute> ByCodeMap = All.ToDictionary(r => r.Code);

    public static TrainingRoute? ByCode(string? code) => code is not null && ByCodeMap.TryGetValue(code, out var route) ? route : null;
}
