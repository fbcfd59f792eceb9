using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Register.Trainees.Versions;

namespace Register.Trainees.Domain;

/// <summary>
/// A trainee as a request would make it, before the rules: every field as the text sent (Register's names), the
/// disability codes, which training partner and employing school keys were sent, and the degrees and placements sent
/// with it. An update starts from the stored record and lays the request on top, so PUT and PATCH are both partial.
/// </summary>
internal sealed partial class TraineeDraft
{
    /// <summary>The single-valued fields of a trainee request, in Register's names.</summary>
    public static IReadOnlyList<string> Fields { get; } =
    [
        "provider_trainee_id", "application_id", "hesa_id", "first_names", "middle_names", "last_name", "previous_last_name", "date_of_birth",
        "ni_number", "sex", "email", "nationality", "ethnicity", "itt_aim", "training_route", "itt_qualification_aim", "course_subject_1",
        "course_subject_2", "course_subject_3", "study_mode", "itt_start_date", "itt_end_date", "trainee_start_date", "course_age_range",
        "course_year", "training_partner_urn", "training_partner_ukprn", "employing_school_urn", "pg_apprenticeship_start_date", "fund_code",
        "funding_method", "training_initiative", "additional_training_initiative", "iqts_country",
    ];

    /// <summary>
    /// Fields an update empties with <c>null</c> (the other subjects; the partner and school, whose key alone says "change");
    /// for the others <c>null</c> means "leave it as it is", as in the reference.
    /// </summary>
    private static readonly HashSet<string> NullClears = ["course_subject_2", "course_subject_3", "training_partner_urn", "training_partner_ukprn", "employing_school_urn"];

    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    private TraineeDraft(Trainee? stored) => Stored = stored;

    /// <summary>The record an update starts from; null for a new trainee.</summary>
    public Trainee? Stored { get; }

    public string? this[string field]
    {
        get => _values.GetValueOrDefault(field);
        set => _values[field] = value;
    }

    /// <summary>The disability codes, in the order of their <c>disabilityN</c> keys (unknown codes are dropped later).</summary>
    public IReadOnlyList<string> Disabilities { get; private set; } = [];

    /// <summary>Which key named the training partner: <c>training_partner_urn</c> wins over <c>training_partner_ukprn</c>; null if neither was sent.</summary>
    public string? TrainingPartnerKey { get; private set; }

    public bool EmployingSchoolSent { get; private set; }

    /// <summary>The fields of the request that break the text rule (control characters); the rules report them first.</summary>
    public IReadOnlyList<TraineeError> TextErrors { get; private set; } = [];

    /// <summary>The degrees sent with a new trainee (<c>degrees_attributes</c>); an update ignores them.</summary>
    public IReadOnlyList<RequestData> Degrees { get; private set; } = [];

    /// <summary>The placements sent with a new trainee (<c>placements_attributes</c>); an update ignores them.</summary>
    public IReadOnlyList<RequestData> Placements { get; private set; } = [];

    /// <summary>The training partner's URN to look up, if the request names the partner by URN.</summary>
    public string? PartnerUrn => TrainingPartnerKey == "training_partner_urn" ? this["training_partner_urn"] : null;

    /// <summary>The training partner's UKPRN to look up, if the request names the partner by UKPRN.</summary>
    public string? PartnerUkprn => TrainingPartnerKey == "training_partner_ukprn" ? this["training_partner_ukprn"] : null;

    /// <summary>The schools to look up: the placements' and the employing school's, as sent.</summary>
    public IEnumerable<string?> SchoolUrns => PlacementRules.Urns(Placements).Append(EmployingSchoolSent ? this["employing_school_urn"] : null);

    public static TraineeDraft ForCreate(RequestData data, TraineeApiVersion version)
    {
        var draft = new TraineeDraft(null);
        foreach (var field in Fields)
        {
            draft[field] = data.Text(field);
        }

        draft.Disabilities = DisabilityCodes(data);
        draft.TextErrors = data.ControlCharacterErrors().ToList();
        draft.NoteOrganisationsSent(data);
        draft.Degrees = data.Objects(TraineeError.Degrees).Select(d => RequestData.From(d, version)).ToList();
        draft.Placements = data.Objects(TraineeError.Placements).Select(p => RequestData.From(p, version)).ToList();
        draft.DropWhatTheVersionLacks(version);
        return draft;
    }

    /// <summary>Which training partner key the request sent (URN first), and whether it sent an employing school.</summary>
    private void NoteOrganisationsSent(RequestData data)
    {
        TrainingPartnerKey = data.Has("training_partner_urn") ? "training_partner_urn" : data.Has("training_partner_ukprn") ? "training_partner_ukprn" : null;
        EmployingSchoolSent = data.Has("employing_school_urn");
    }

    public static TraineeDraft ForUpdate(Trainee stored, RequestData data, TraineeApiVersion version)
    {
        var draft = FromStored(stored);
        foreach (var field in Fields.Where(data.Has))
        {
            if (data.Text(field) is { } text)
            {
                draft[field] = text;
            }
            else if (data.IsEmpty(field) || NullClears.Contains(field))
            {
                draft[field] = null;
            }
        }

        if (data.Keys.Any(k => DisabilityKey().IsMatch(k)))
        {
            draft.Disabilities = DisabilityCodes(data);
        }

        draft.TextErrors = data.ControlCharacterErrors().Where(e => e.Group is null).ToList();
        draft.NoteOrganisationsSent(data);
        if (data.Has("training_route") && draft["training_route"] != TrainingRoutes.IqtsCode)
        {
            // Leaving the iQTS route leaves its country behind.
            draft["iqts_country"] = null;
        }

        draft.DropWhatTheVersionLacks(version);
        return draft;
    }

    /// <summary>The stored record as the text a request would have sent for it.</summary>
    private static TraineeDraft FromStored(Trainee t)
    {
        var draft = new TraineeDraft(t);
        static string? Date(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        draft["provider_trainee_id"] = t.ProviderTraineeId;
        draft["application_id"] = t.ApplicationId?.ToString(CultureInfo.InvariantCulture);
        draft["hesa_id"] = t.HesaId;
        draft["first_names"] = t.FirstNames;
        draft["middle_names"] = t.MiddleNames;
        draft["last_name"] = t.LastName;
        draft["previous_last_name"] = t.PreviousLastName;
        draft["date_of_birth"] = Date(t.DateOfBirth);
        draft["ni_number"] = t.NiNumber;
        draft["sex"] = t.Sex;
        draft["email"] = t.Email;
        draft["nationality"] = t.Nationality;
        draft["ethnicity"] = t.Ethnicity;
        draft["itt_aim"] = t.IttAim;
        draft["training_route"] = t.TrainingRoute;
        draft["itt_qualification_aim"] = t.IttQualificationAim;
        draft["course_subject_1"] = t.CourseSubject1;
        draft["course_subject_2"] = t.CourseSubject2;
        draft["course_subject_3"] = t.CourseSubject3;
        draft["study_mode"] = t.StudyMode;
        draft["itt_start_date"] = Date(t.IttStartDate);
        draft["itt_end_date"] = Date(t.IttEndDate);
        draft["trainee_start_date"] = Date(t.TraineeStartDate);
        draft["course_age_range"] = t.CourseAgeRange;
        draft["course_year"] = t.CourseYear?.ToString(CultureInfo.InvariantCulture);
        draft["employing_school_urn"] = t.EmployingSchoolUrn;
        draft["pg_apprenticeship_start_date"] = Date(t.PgApprenticeshipStartDate);
        draft["fund_code"] = t.FundCode;
        draft["funding_method"] = t.FundingMethod;
        draft["training_initiative"] = HesaCodeOfInitiative(t.TrainingInitiative);
        draft["additional_training_initiative"] = t.AdditionalTrainingInitiative;
        draft["iqts_country"] = t.IqtsCountry;
        draft.Disabilities = t.Disabilities;
        return draft;
    }

    private static string? HesaCodeOfInitiative(string initiative) =>
        ReferenceData.HesaCodes.Instance.TrainingInitiative.ByName(initiative)?.Code;

    private void DropWhatTheVersionLacks(TraineeApiVersion version)
    {
        if (!version.IqtsCountry)
        {
            this["iqts_country"] = null;
        }
    }

    /// <summary>The values of <c>disability1</c> … <c>disability9</c>, in order (more keys are accepted and ignored, as in the reference).</summary>
    private static List<string> DisabilityCodes(RequestData data) =>
        Enumerable.Range(1, 9).Select(n => data.Text($"disability{n}")).OfType<string>().ToList();

    [GeneratedRegex("^disability[0-9]+$")]
    private static partial Regex DisabilityKey();
}
