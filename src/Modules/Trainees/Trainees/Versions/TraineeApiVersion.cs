using System.Text.RegularExpressions;
using Register.BuildingBlocks.Security;

namespace Register.Trainees.Versions;

/// <summary>How a version treats a primary age range (maximum age 11 or less) whose first subject is not primary teaching.</summary>
internal enum PrimarySubjectRule
{
    /// <summary>v2025.0: primary teaching becomes <c>course_subject_1</c> and the other subjects move down, silently.</summary>
    MovePrimaryTeachingFirst,

    /// <summary>v2026.0 on: a 422 unless <c>course_subject_1</c> is primary teaching.</summary>
    RequirePrimaryTeachingFirst,
}

/// <summary>
/// One version of the trainee API: its field names and the rules in which it differs from the others (spec §1.4, §1.5).
/// Everything else is shared. Register's own names are the v2026 ones; <see cref="Renames"/> lists this version's
/// other names, and applies to request keys, response keys and the field names in messages alike.
/// </summary>
internal sealed partial record TraineeApiVersion
{
    public required string Name { get; init; }

    /// <summary>Register's field name → this version's, for the fields this version calls something else.</summary>
    public IReadOnlyDictionary<string, string> Renames { get; init; } = new Dictionary<string, string>();

    /// <summary>The word messages use for a training partner.</summary>
    public string TrainingPartnerWording { get; init; } = "training partner";

    /// <summary>The <c>training_route</c> codes this version accepts.</summary>
    public required IReadOnlyList<string> TrainingRoutes { get; init; }

    public required PrimarySubjectRule PrimarySubject { get; init; }

    /// <summary><c>itt_end_date</c> must be within the last 10 and the next 5 years (v2026.0 on), not only after the start.</summary>
    public bool IttEndDateWindow { get; init; }

    /// <summary>Routes on which <c>study_mode</c> may be left out (assessment only: 16 and 17 from v2026.1).</summary>
    public IReadOnlySet<string> RoutesWithoutStudyMode { get; init; } = new HashSet<string>();

    /// <summary>The academic cycles in which languages and physics may have a bursary or scholarship without student finance.</summary>
    public IReadOnlyList<int> FundCodeExceptionCycles { get; init; } = [2025, 2026];

    /// <summary><c>additional_training_initiative</c> must be available in the trainee's academic cycle (v2026.0 on).</summary>
    public bool ChecksAdditionalInitiativeCycle { get; init; } = true;

    /// <summary><c>iqts_country</c> exists: required on the iQTS route (15) and refused on the others.</summary>
    public bool IqtsCountry { get; init; }

    /// <summary>The early-years rules: subject 100510 and age range 13920 on EY routes, and only there.</summary>
    public bool EarlyYearsRules { get; init; }

    /// <summary>Recommended, withdrawn and awarded trainees are locked: edits answer 422 StateTransitionError.</summary>
    public bool StateLock { get; init; }

    /// <summary><c>GET /reference-data</c> is served.</summary>
    public bool ReferenceData { get; init; }

    /// <summary>An unknown training partner is reported on the field sent (<c>training_partner_ukprn is invalid. The UKPRN ...</c>), not on <c>training_partner_id</c>.</summary>
    public bool NamesTheSentPartnerField { get; init; }

    /// <summary>CSV bulk uploads (<c>/trainee-uploads</c>) are served: with the v2026.1 template and rules, as the reference's.</summary>
    public bool TraineeUploads { get; init; }

    /// <summary><c>Enhanced-Errors: true</c> groups degree and placement errors under their lists (from v2026.0); v2025.0 keeps them flat.</summary>
    public bool EnhancedErrorsGroupNested { get; init; } = true;

    /// <summary>The name this version uses for one of Register's field names.</summary>
    public string Wire(string field) => Renames.TryGetValue(field, out var renamed) ? renamed : field;

    /// <summary>Register's name for a field name sent to this version (the renamed v2026 names are unknown to older versions, and dropped).</summary>
    public string? Canonical(string wireName)
    {
        foreach (var (field, renamed) in Renames)
        {
            if (renamed == wireName)
            {
                return field;
            }
        }

        return Renames.ContainsKey(wireName) ? null : wireName;
    }

    /// <summary>A message in this version's words: its field names, and its name for training partners.</summary>
    public string Say(string message)
    {
        if (Renames.Count == 0)
        {
            return message;
        }

        var renamed = FieldName().Replace(message, m => Wire(m.Value));
        return renamed.Replace("training partner", TrainingPartnerWording, StringComparison.Ordinal);
    }

    [GeneratedRegex("[a-z][a-z0-9_]*")]
    private static partial Regex FieldName();
}

/// <summary>
/// The versions served side by side, oldest first. A new version is one more descriptor here, made from the
/// one before with only what differs, and its name in <see cref="ApiDefinition.TraineeApiVersions"/>.
/// </summary>
internal static class TraineeApiVersions
{
    public static TraineeApiVersion V2025_0 { get; } = new()
    {
        Name = "v2025.0",
        Renames = new Dictionary<string, string>
        {
            ["training_partner_urn"] = "lead_partner_urn",
            ["training_partner_ukprn"] = "lead_partner_ukprn",
            ["course_subject_1"] = "course_subject_one",
            ["course_subject_2"] = "course_subject_two",
            ["course_subject_3"] = "course_subject_three",
            ["withdrawal_date"] = "withdraw_date",
            ["withdrawal_reasons"] = "withdraw_reasons",
            ["training_partner_id"] = "lead_partner_id",
        },
        TrainingPartnerWording = "lead partner",
        TrainingRoutes = ["02", "03", "09", "10", "11", "12", "14"],
        PrimarySubject = PrimarySubjectRule.MovePrimaryTeachingFirst,
        EnhancedErrorsGroupNested = false,
        FundCodeExceptionCycles = [2025],
        ChecksAdditionalInitiativeCycle = false,
    };

    public static TraineeApiVersion V2026_0 { get; } = V2025_0 with
    {
        Name = "v2026.0",
        Renames = new Dictionary<string, string>(),
        TrainingPartnerWording = "training partner",
        TrainingRoutes = ["03", "09", "10", "11", "12", "14"],
        PrimarySubject = PrimarySubjectRule.RequirePrimaryTeachingFirst,
        IttEndDateWindow = true,
        EnhancedErrorsGroupNested = true,
        FundCodeExceptionCycles = [2025, 2026],
        ChecksAdditionalInitiativeCycle = true,
    };

    public static TraineeApiVersion V2026_1 { get; } = V2026_0 with
    {
        Name = "v2026.1",
        TrainingRoutes = ["03", "09", "10", "11", "12", "14", "15", "16", "17", "18", "19", "20", "21"],
        RoutesWithoutStudyMode = new HashSet<string> { "16", "17" },
        IqtsCountry = true,
        EarlyYearsRules = true,
        StateLock = true,
        ReferenceData = true,
        NamesTheSentPartnerField = true,
        TraineeUploads = true,
    };

    public static IReadOnlyList<TraineeApiVersion> All { get; } = [V2025_0, V2026_0, V2026_1];

    public static TraineeApiVersion Latest => All[^1];

    /// <summary>The major-version URLs: <c>v2025</c> is v2025.0, <c>v2026</c> the newest v2026.x.</summary>
    public static IReadOnlyList<(string Path, TraineeApiVersion Version)> MajorAliases { get; } =
        All.GroupBy(v => v.Name.Split('.')[0]).Select(g => (g.Key, g.Last())).ToList();
}
