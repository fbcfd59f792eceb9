namespace Register.Trainees.Domain;

/// <summary>
/// The funding tables behind the funding rules (spec §5.6): for each academic cycle Register has a table for, which
/// bursaries, scholarships and grants exist on which route for which allocation subjects. <c>course_subject_1</c>
/// reaches an allocation subject through its subject specialism (<see cref="AllocationSubjectOf"/>).
/// </summary>
internal static class Funding
{
    public const string Bursary = "bursary";
    public const string Scholarship = "scholarship";
    public const string Grant = "grant";

    /// <summary>One row of a cycle's table: a route's award of a funding type, for these allocation subjects.</summary>
    internal sealed record Row(int Cycle, string Route, string Type, int Amount, IReadOnlyList<string> Subjects);

    private const string AncientLanguages = "Ancient languages";
    private const string ArtAndDesign = "Art and design";
    private const string Biology = "Biology";
    private const string Chemistry = "Chemistry";
    private const string Computing = "Computing";
    private const string DesignAndTechnology = "Design and technology";
    private const string EarlyYearsItt = "Early years ITT";
    private const string English = "English";
    private const string French = "French language";
    private const string Geography = "Geography";
    private const string German = "German language";
    private const string Mathematics = "Mathematics";
    private const string ModernLanguages = "Modern languages";
    private const string Music = "Music";
    private const string Physics = "Physics";
    private const string ReligiousEducation = "Religious education";
    private const string Spanish = "Spanish language";

    /// <summary>The funding-method codes and the funding type each needs a row of; 6 (none) needs none.</summary>
    public static string? TypeOf(string? fundingMethod) => fundingMethod switch
    {
        "4" => Scholarship,
        "7" or "8" or "9" or "B" or "C" or "D" => Bursary,
        "E" => Grant,
        _ => null,
    };

    public static IReadOnlyList<Row> Rows { get; } =
    [
        // 2025 to 2026
        new(2025, "provider_led_undergrad", Bursary, 9_000, [Mathematics, Physics]),
        new(2025, "provider_led_postgrad", Bursary, 29_000, [Chemistry, Computing, Mathematics, Physics]),
        new(2025, "provider_led_postgrad", Bursary, 26_000, [AncientLanguages, Biology, DesignAndTechnology, Geography, ModernLanguages, French, German, Spanish]),
        new(2025, "provider_led_postgrad", Bursary, 10_000, [ArtAndDesign, Music, ReligiousEducation]),
        new(2025, "provider_led_postgrad", Bursary, 5_000, [English]),
        new(2025, "opt_in_undergrad", Bursary, 9_000, [AncientLanguages, Computing, Mathematics, ModernLanguages, French, German, Spanish, Physics]),
        new(2025, "provider_led_postgrad", Scholarship, 31_000, [Chemistry, Computing, Mathematics, Physics]),
        new(2025, "provider_led_postgrad", Scholarship, 28_000, [French, German, Spanish]),
        new(2025, "early_years_postgrad", Grant, 7_000, [EarlyYearsItt]),
        new(2025, "early_years_salaried", Grant, 14_000, [EarlyYearsItt]),
        new(2025, "school_direct_salaried", Grant, 29_000, [Chemistry, Computing, Mathematics, Physics]),
        new(2025, "school_direct_salaried", Grant, 26_000, [AncientLanguages, Biology, DesignAndTechnology, Geography, ModernLanguages, French, German, Spanish]),
        new(2025, "school_direct_salaried", Grant, 10_000, [ArtAndDesign, Music, ReligiousEducation]),
        new(2025, "school_direct_salaried", Grant, 5_000, [English]),
        new(2025, "pg_teaching_apprenticeship", Grant, 29_000, [Chemistry, Computing, Mathematics, Physics]),
        new(2025, "pg_teaching_apprenticeship", Grant, 26_000, [French, German, Spanish]),
        new(2025, "pg_teaching_apprenticeship", Grant, 17_000, [AncientLanguages, Biology, DesignAndTechnology, Geography, ModernLanguages]),
        new(2025, "pg_teaching_apprenticeship", Grant, 1_000, [ArtAndDesign, Music, ReligiousEducation]),

        // 2026 to 2027
        new(2026, "opt_in_undergrad", Bursary, 9_000, [AncientLanguages, Computing, French, German, Mathematics, ModernLanguages, Physics, Spanish]),
        new(2026, "provider_led_postgrad", Bursary, 5_000, [Biology, Geography]),
        new(2026, "provider_led_postgrad", Bursary, 20_000, [AncientLanguages, DesignAndTechnology, French, German, ModernLanguages, Spanish]),
        new(2026, "provider_led_postgrad", Bursary, 29_000, [Chemistry, Computing, Mathematics, Physics]),
        new(2026, "provider_led_undergrad", Bursary, 9_000, [English, Mathematics]),
        new(2026, "provider_led_postgrad", Scholarship, 22_000, [French, German, Spanish]),
        new(2026, "provider_led_postgrad", Scholarship, 31_000, [Chemistry, Computing, Physics]),
        new(2026, "early_years_salaried", Grant, 16_535, [EarlyYearsItt]),
        new(2026, "early_years_postgrad", Grant, 9_535, [EarlyYearsItt]),
        new(2026, "pg_teaching_apprenticeship", Grant, 5_000, [Biology, Geography]),
        new(2026, "pg_teaching_apprenticeship", Grant, 20_000, [AncientLanguages, DesignAndTechnology, French, German, ModernLanguages, Spanish]),
        new(2026, "pg_teaching_apprenticeship", Grant, 29_000, [Chemistry, Computing, Mathematics, Physics]),
        new(2026, "school_direct_salaried", Grant, 5_000, [Biology, Geography]),
        new(2026, "school_direct_salaried", Grant, 20_000, [AncientLanguages, DesignAndTechnology, French, German, ModernLanguages, Spanish]),
        new(2026, "school_direct_salaried", Grant, 29_000, [Chemistry, Computing, Mathematics, Physics]),
    ];

    /// <summary>The cycles Register has a table for; the funding rules check no other cycle.</summary>
    public static bool HasTable(int cycle) => Rows.Any(r => r.Cycle == cycle);

    /// <summary>Does the route have any funding at all in the cycle (the fund code 7 rule)?</summary>
    public static bool RouteIsFunded(int cycle, string route) => Rows.Any(r => r.Cycle == cycle && r.Route == route);

    /// <summary>Is there a row of the type on the route for the allocation subject of the course subject?</summary>
    public static bool Exists(int cycle, string type, string route, string? courseSubjectName) =>
        AllocationSubjectOf(courseSubjectName) is { } subject
        && Rows.Any(r => r.Cycle == cycle && r.Type == type && r.Route == route && r.Subjects.Contains(subject));

    /// <summary>
    /// The fund-code exception: in 2025/26 and 2026/27 (2025/26 only in v2025.0) trainees in languages and physics may
    /// have a bursary or scholarship without being eligible for student finance.
    /// </summary>
    public static bool FundCodeExceptionApplies(int cycle, string? courseSubjectName, IReadOnlyCollection<int> exceptionCycles) =>
        exceptionCycles.Contains(cycle)
        && AllocationSubjectOf(courseSubjectName) is AncientLanguages or ModernLanguages or French or German or Spanish or Physics;

    /// <summary>The allocation subject of a course subject (by its HECoS list name); null for one that has none.</summary>
    public static string? AllocationSubjectOf(string? courseSubjectName) =>
        courseSubjectName is not null && SpecialismToAllocation.TryGetValue(courseSubjectName, out var subject) ? subject : null;

    private static readonly Dictionary<string, string> SpecialismToAllocation = new (string Allocation, string[] Specialisms)[]
    {
        (AncientLanguages, ["Ancient Hebrew", "classical Greek studies", "Latin language"]),
        (ArtAndDesign, ["art and design", "graphic design"]),
        (Biology, ["biology", "applied biology", "environmental sciences"]),
        ("General sciences", ["general science"]),
        ("Business studies", ["business studies", "business and management", "recreation and leisure studies", "retail management"]),
        (Chemistry, ["chemistry", "applied chemistry"]),
        ("Classics", ["classical studies", "historical linguistics"]),
        (Computing, ["applied computing", "computer science", "information technology"]),
        (DesignAndTechnology,
        [
            "construction and the built environment", "design", "food and beverage studies", "general or integrated engineering", "hospitality",
            "manufacturing engineering", "materials science", "production and manufacturing engineering", "product design", "textiles technology",
        ]),
        ("Drama", ["drama", "performing arts"]),
        (EarlyYearsItt, ["early years teaching"]),
        ("Economics", ["economics"]),
        (English, ["English studies"]),
        (Geography, ["geography"]),
        ("History", ["history"]),
        (Mathematics, ["mathematics", "statistics"]),
        (ModernLanguages,
        [
            "modern languages", "Arabic languages", "Chinese languages", "English as a second or other language", "Italian language", "Japanese language",
            "Portuguese language", "Russian languages", "Welsh language",
        ]),
        (French, ["French language"]),
        (German, ["German language"]),
        (Spanish, ["Spanish language"]),
        (Music, ["music education and teaching"]),
        ("Other subjects",
        [
            "child development", "hair and beauty sciences", "health and social care", "health studies", "law", "media and communication studies",
            "psychology", "public services", "social sciences", "travel and tourism", "UK government/parliamentary studies",
        ]),
        ("Physical education", ["dance", "sports management", "sport and exercise sciences"]),
        (Physics, ["physics", "applied physics"]),
        (ReligiousEducation, ["philosophy", "religious studies"]),
        ("Primary", ["primary teaching"]),
    }.SelectMany(m => m.Specialisms.Select(s => (s, m.Allocation))).ToDictionary(p => p.s, p => p.Allocation, StringComparer.Ordinal);
}
