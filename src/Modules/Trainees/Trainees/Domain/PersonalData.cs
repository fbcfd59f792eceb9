using Register.Trainees.Contracts;

namespace Register.Trainees.Domain;

/// <summary>
/// What of a trainee record is personal data (ADR 16): who the person is (names, date of birth, identifiers others hold
/// of them, contact), what they are (sex, nationality, ethnicity, disabilities, and what the API derives from them), their
/// prior education (degrees), and why they deferred or withdrew. What the provider trains them in (route, course,
/// subjects, dates, funding, placements) and the record's state stay: with the person gone they describe a place on a
/// course, not someone. The names are the trainee API's (newest version), as the activity log's items name them.
/// </summary>
internal static class PersonalData
{
    /// <summary>The trainee's personal fields, as its notifications (and the newest API version) name them.</summary>
    public static IReadOnlyList<string> TraineeFields { get; } =
    [
        "provider_trainee_id", "application_id", "hesa_id", "trn",
        "first_names", "middle_names", "last_name", "previous_last_name", "date_of_birth", "ni_number", "email",
        "sex", "nationality", "ethnicity", "ethnic_group", "ethnic_background", "additional_ethnic_background",
        "diversity_disclosure", "disability_disclosure",
        .. Enumerable.Range(1, 9).Select(i => $"disability{i}"),
        "defer_reason", "withdrawal_reasons", "withdrawal_another_reason", "withdrawal_safeguarding_concern_reasons", "withdrawal_future_interest",
    ];

    /// <summary>A degree is the person's own education: every value but its id and times.</summary>
    public static IReadOnlyList<string> DegreeFields { get; } =
    [
        "uk_degree", "uk_degree_uuid", "non_uk_degree", "subject", "subject_uuid", "institution", "institution_uuid",
        "grade", "grade_uuid", "other_grade", "country", "graduation_year",
    ];

    /// <summary>The CSV upload template's columns holding the same values, as an upload row keeps them.</summary>
    public static IReadOnlyList<string> UploadColumns { get; } =
    [
        "provider_trainee_id", "application_id", "hesa_id", "first_names", "last_name", "previous_last_name", "date_of_birth", "ni_number",
        "sex", "email", "nationality", "ethnicity",
        .. Enumerable.Range(1, 9).Select(i => $"disability{i}"),
        "uk_degree", "non_uk_degree", "degree_subject", "degree_grade", "degree_graduation_year", "awarding_institution", "degree_country",
    ];

    /// <summary>What the activity log redacts: the trainee's and its degrees' personal fields; placements are the record's too, with none.</summary>
    public static IReadOnlyList<ErasedFields> Erased { get; } =
    [
        new(TraineeRecords.Trainee, TraineeFields),
        new(TraineeRecords.Degree, DegreeFields),
        new(TraineeRecords.Placement, []),
    ];
}
