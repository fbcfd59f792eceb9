using System.Globalization;
using System.Text.Json.Nodes;
using Register.Trainees.ReferenceData;
using Register.Trainees.Versions;

namespace Register.Trainees.Domain;

/// <summary>
/// The trainee API's view of a trainee, a degree and a placement (spec §4.2–§4.4): the reference's keys in its order,
/// named as the version names them, HESA codes as strings, and what it derives (ethnic group, disclosures, ages,
/// education phase, course level) derived here, from the stored codes.
/// </summary>
internal static class TraineeJson
{
    private static readonly Dictionary<string, string> EthnicGroups = new (string Group, string[] Codes)[]
    {
        ("asian_ethnic_group", ["100", "101", "103", "104", "119"]),
        ("black_ethnic_group", ["120", "121", "139"]),
        ("mixed_ethnic_group", ["140", "141", "142", "159"]),
        ("white_ethnic_group", ["160", "163", "166", "168", "179"]),
        ("other_ethnic_group", ["180", "899"]),
    }.SelectMany(g => g.Codes.Select(c => (c, g.Group))).ToDictionary(p => p.c, p => p.Group);

    private const string NoKnownDisability = "95";
    private static readonly HashSet<string> NotProvidedDisabilities = ["98", "99"];

    public static JsonObject Trainee(Trainee t, IEnumerable<Degree> degrees, IEnumerable<Placement> placements, string? providerUkprn, TraineeApiVersion version)
    {
        var codes = HesaCodes.Instance;
        var route = TrainingRoutes.ByCode(t.TrainingRoute);
        var ages = codes.CourseAgeRange.ByCode(t.CourseAgeRange)?.Ages;
        var ethnicity = codes.Ethnicity.ByCode(t.Ethnicity);
        var disclosed = t.Disabilities.Any(d => d != NoKnownDisability && !NotProvidedDisabilities.Contains(d));
        var ethnicityDisclosed = ethnicity is not null && ethnicity.Name != "Not provided";
        // An erased trainee (ADR 16) has no personal values, and nothing is derived from the ones it had.
        var erased = t.ErasedAt is not null;

        var json = new JsonObject();
        void Add(string field, JsonNode? value) => json[version.Wire(field)] = value;

        Add("first_names", t.FirstNames);
        Add("last_name", t.LastName);
        Add("date_of_birth", Date(t.DateOfBirth));
        Add("created_at", Time(t.CreatedAt));
        Add("updated_at", Time(t.UpdatedAt));
        Add("email", t.Email);
        Add("middle_names", t.MiddleNames);
        Add("training_route", t.TrainingRoute);
        Add("sex", t.Sex);
        Add("diversity_disclosure", erased ? null : disclosed || ethnicityDisclosed ? "diversity_disclosed" : "diversity_not_disclosed");
        Add("ethnic_group", erased ? null : EthnicGroups.GetValueOrDefault(t.Ethnicity ?? "", "not_provided_ethnic_group"));
        Add("ethnic_background", erased ? null : ethnicity?.Name ?? "Not provided");
        Add("additional_ethnic_background", null);
        Add("disability_disclosure",
            erased ? null : disclosed ? "disabled" : t.Disabilities.Contains(NoKnownDisability) ? "no_disability" : "disability_not_provided");
        Add("itt_start_date", Date(t.IttStartDate));
        Add("outcome_date", Date(t.OutcomeDate));
        Add("itt_end_date", Date(t.IttEndDate));
        Add("trn", t.Trn);
        Add("submitted_for_trn_at", Time(t.SubmittedForTrnAt));
        Add("defer_date", Date(t.DeferDate));
        Add("recommended_for_award_at", t.RecommendedForAwardAt?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        Add("trainee_start_date", Date(t.TraineeStartDate));
        Add("reinstate_date", Date(t.ReinstateDate));
        Add("course_min_age", ages?.Min);
        Add("course_max_age", ages?.Max);
        Add("awarded_at", Time(t.AwardedAt));
        Add("training_initiative", codes.TrainingInitiative.ByName(t.TrainingInitiative)?.Code);
        Add("study_mode", t.StudyMode);
        Add("course_education_phase", route?.EarlyYears == true ? "early_years" : ages?.Max <= 11 ? "primary" : "secondary");
        Add("hesa_id", t.HesaId);
        Add("record_source", t.RecordSource);
        Add("provider_trainee_id", t.ProviderTraineeId);
        Add("defer_reason", t.DeferReason);
        Add("ukprn", providerUkprn);
        Add("ethnicity", t.Ethnicity);
        Add("course_qualification", route?.Award);
        Add("course_title", null);
        Add("course_level", route?.CourseLevel ?? "postgrad");
        Add("course_itt_start_date", Date(t.IttStartDate));
        Add("course_age_range", t.CourseAgeRange);
        Add("employing_school_urn", t.EmployingSchoolUrn);
        Add("training_partner_ukprn", t.TrainingPartnerUkprn);
        Add("training_partner_urn", t.TrainingPartnerUrn);
        Add("previous_last_name", t.PreviousLastName);
        Add("itt_aim", t.IttAim);
        Add("course_year", t.CourseYear);
        Add("pg_apprenticeship_start_date", Date(t.PgApprenticeshipStartDate));
        Add("funding_method", t.FundingMethod);
        Add("ni_number", t.NiNumber);
        Add("additional_training_initiative", t.AdditionalTrainingInitiative);
        Add("itt_qualification_aim", t.IttQualificationAim);
        Add("fund_code", t.FundCode);
        Add("course_subject_1", t.CourseSubject1);
        Add("course_subject_2", t.CourseSubject2);
        Add("course_subject_3", t.CourseSubject3);
        Add("nationality", t.Nationality);
        Add("withdrawal_date", Date(t.WithdrawalDate));
        Add("withdrawal_reasons", t.WithdrawalReasons is null ? null : new JsonArray(t.WithdrawalReasons.Select(r => (JsonNode?)r).ToArray()));
        Add("withdrawal_trigger", t.WithdrawalTrigger);
        Add("withdrawal_future_interest", t.WithdrawalFutureInterest);
        Add("withdrawal_another_reason", t.WithdrawalAnotherReason);
        Add("withdrawal_safeguarding_concern_reasons", t.WithdrawalSafeguardingConcernReasons);
        Add("placements", new JsonArray(placements.Select(p => (JsonNode?)Placement(p)).ToArray()));
        Add("degrees", new JsonArray(degrees.Select(d => (JsonNode?)Degree(d)).ToArray()));
        Add("state", t.State);
        Add("trainee_id", t.Slug);
        Add("application_id", t.ApplicationId);
        for (var i = 0; i < t.Disabilities.Length; i++)
        {
            Add($"disability{i + 1}", t.Disabilities[i]);
        }

        if (version.IqtsCountry)
        {
            Add("iqts_country", t.IqtsCountry);
        }

        return json;
    }

    public static JsonObject Degree(Degree d) => new()
    {
        ["uk_degree"] = d.UkDegree,
        ["non_uk_degree"] = d.NonUkDegree,
        ["created_at"] = Time(d.CreatedAt),
        ["updated_at"] = Time(d.UpdatedAt),
        ["subject"] = d.Subject,
        ["institution"] = d.Institution,
        ["graduation_year"] = d.GraduationYear,
        ["grade"] = d.Grade,
        ["country"] = d.Country,
        ["other_grade"] = d.OtherGrade,
        ["institution_uuid"] = d.InstitutionUuid,
        ["uk_degree_uuid"] = d.UkDegreeUuid,
        ["subject_uuid"] = d.SubjectUuid,
        ["grade_uuid"] = d.GradeUuid,
        ["degree_id"] = d.Slug,
    };

    public static JsonObject Placement(Placement p) => new()
    {
        ["urn"] = p.Urn,
        ["name"] = p.Name,
        ["address"] = Address(p),
        ["postcode"] = p.Postcode,
        ["created_at"] = Time(p.CreatedAt),
        ["updated_at"] = Time(p.UpdatedAt),
        ["placement_id"] = p.Slug,
    };

    /// <summary><c>URN 123456, AB1 2CD</c>: the parts there are; none for a URN that names no school.</summary>
    private static string? Address(Placement p)
    {
        if (p.Urn is not null && KnownOrganisations.NotApplicableUrns.ContainsKey(p.Urn))
        {
            return null;
        }

        var parts = new[] { p.Urn is null ? null : $"URN {p.Urn}", p.Postcode }.OfType<string>().ToList();
        return parts.Count == 0 ? null : string.Join(", ", parts);
    }

    private static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string? Time(DateTimeOffset? time) => time?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
