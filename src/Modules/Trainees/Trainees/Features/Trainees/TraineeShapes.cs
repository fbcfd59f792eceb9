using System.ComponentModel;
using System.Text.Json.Serialization;
using Register.Trainees.Api;
using Register.Trainees.Features.Degrees;
using Register.Trainees.Features.Placements;

namespace Register.Trainees.Features.Trainees;

// What the trainee slices take and answer, in Register's (v2026) field names: documentation only (docs/adr/0018). The
// slices read the body as JSON (RequestData) and answer TraineeJson.Trainee; each version's document renames the fields.

/// <summary>The single-valued fields a trainee request may send (<see cref="Domain.TraineeDraft.Fields"/>, and <c>disability1</c>…<c>disability9</c>).</summary>
internal abstract record TraineeFields
{
    [Description("Your own id for the trainee (OWNSTU), at most 50 characters.")]
    public string? ProviderTraineeId { get; init; }

    [Description("The trainee's Apply application id (APPLYAPPLICATIONID), at most 7 digits.")]
    public int? ApplicationId { get; init; }

    [Description("The HESA unique student identifier (HUSID): 13 or 17 characters.")]
    public string? HesaId { get; init; }

    [Description("First names (FNAMES), at most 60 characters.")]
    public string? FirstNames { get; init; }

    [Description("Middle names, at most 60 characters.")]
    public string? MiddleNames { get; init; }

    [Description("Last name (SURNAME), at most 60 characters.")]
    public string? LastName { get; init; }

    [Description("Previous last name (PSURNAME).")]
    public string? PreviousLastName { get; init; }

    [Description("Date of birth (BIRTHDTE), YYYY-MM-DD: at least 16 and at most 100 years ago.")]
    public DateOnly? DateOfBirth { get; init; }

    [Description("National Insurance number (NIN), at most 9 characters.")]
    public string? NiNumber { get; init; }

    [Description("HESA SEXID code: 10 female, 11 male, 12 other, 96 information refused, 99 not available (GET /reference-data?field=sex).")]
    public string? Sex { get; init; }

    [Description("Email address (NQTEMAIL).")]
    public string? Email { get; init; }

    [Description("HESA NATION code, ISO 3166 alpha-2 (GET /reference-data?field=nationality).")]
    public string? Nationality { get; init; }

    [Description("HESA ETHNIC code (GET /reference-data?field=ethnicity); absent means 997 not provided.")]
    public string? Ethnicity { get; init; }

    [Description("HESA ITTAIM code: 201 or 202 (GET /reference-data?field=itt_aim).")]
    public string? IttAim { get; init; }

    [Description("HESA ENTRYRTE code of the training route: only the codes this version accepts (GET /reference-data?field=training_route).")]
    [VersionTrainingRoutes]
    public string? TrainingRoute { get; init; }

    [Description("HESA QLAIM code, required when itt_aim is 202 (GET /reference-data?field=itt_qualification_aim).")]
    public string? IttQualificationAim { get; init; }

    [JsonPropertyName("course_subject_1")]
    [Description("HESA SBJCA (HECoS) code of the first subject; 100511 primary teaching first for a primary age range (GET /reference-data?field=course_subject).")]
    public string? CourseSubject1 { get; init; }

    [JsonPropertyName("course_subject_2")]
    [Description("HECoS code of the second subject; null clears it on an update.")]
    public string? CourseSubject2 { get; init; }

    [JsonPropertyName("course_subject_3")]
    [Description("HECoS code of the third subject; null clears it on an update.")]
    public string? CourseSubject3 { get; init; }

    [Description("HESA MODE code: 01, 02, 63 full-time; 31, 64 part-time (GET /reference-data?field=study_mode). Not needed on routes 16 and 17.")]
    public string? StudyMode { get; init; }

    [Description("ITT start date (ITTSTARTDATE), YYYY-MM-DD.")]
    public DateOnly? IttStartDate { get; init; }

    [Description("Expected end date (EXPECTEDENDDATE), YYYY-MM-DD, after itt_start_date.")]
    public DateOnly? IttEndDate { get; init; }

    [Description("Trainee start date (TRAINEESTARTDATE), YYYY-MM-DD; itt_start_date when absent.")]
    public DateOnly? TraineeStartDate { get; init; }

    [Description("HESA ITTPHSC code of the age range, e.g. 13918 (GET /reference-data?field=course_age_range).")]
    public string? CourseAgeRange { get; init; }

    [Description("Year of the course (YEARPRG): 0 foundation, 1, 2, 3.")]
    public string? CourseYear { get; init; }

    [Description("URN of the training partner (SDLEAD), 6 digits; 900000, 900010, 900020, 900030 for none. Null clears it on an update.")]
    public string? TrainingPartnerUrn { get; init; }

    [Description("UKPRN of the training partner, 8 digits; used only when training_partner_urn is not sent.")]
    public string? TrainingPartnerUkprn { get; init; }

    [Description("URN of the employing school (SDEMPLOY), 6 digits; 900000, 900010, 900020, 900030 for not applicable.")]
    public string? EmployingSchoolUrn { get; init; }

    [Description("Postgraduate apprenticeship start date (PGAPPSTDT), YYYY-MM-DD.")]
    public DateOnly? PgApprenticeshipStartDate { get; init; }

    [Description("HESA FUNDCODE: 2 not eligible, 7 eligible for funding (GET /reference-data?field=fund_code).")]
    public string? FundCode { get; init; }

    [Description("HESA BURSLEV code: 4, 6, 7, 8, 9, B, C, D or E (GET /reference-data?field=funding_method).")]
    public string? FundingMethod { get; init; }

    [Description("HESA INITIATIVES code: 009, 011, 025, 026 or 036, available in the trainee's cycle (GET /reference-data?field=training_initiative).")]
    public string? TrainingInitiative { get; init; }

    [Description("A second HESA INITIATIVES code.")]
    public string? AdditionalTrainingInitiative { get; init; }

    [Description("HESA country code of the iQTS country: required on route 15 and refused on the others (GET /reference-data?field=country).")]
    public string? IqtsCountry { get; init; }

    [JsonPropertyName("disability1")]
    [Description("HESA DISABLE code (GET /reference-data?field=disability); disability1 … disability9, no code twice.")]
    public string? Disability1 { get; init; }

    [JsonPropertyName("disability2")]
    public string? Disability2 { get; init; }

    [JsonPropertyName("disability3")]
    public string? Disability3 { get; init; }

    [JsonPropertyName("disability4")]
    public string? Disability4 { get; init; }

    [JsonPropertyName("disability5")]
    public string? Disability5 { get; init; }

    [JsonPropertyName("disability6")]
    public string? Disability6 { get; init; }

    [JsonPropertyName("disability7")]
    public string? Disability7 { get; init; }

    [JsonPropertyName("disability8")]
    public string? Disability8 { get; init; }

    [JsonPropertyName("disability9")]
    public string? Disability9 { get; init; }
}

/// <summary>A new trainee (<c>POST /trainees</c>), with its degrees and placements.</summary>
[Description("A new trainee. Values are sent as strings, as HESA codes are; every rule broken is a 422.")]
[RequiredKeys("first_names", "last_name", "date_of_birth", "sex", "email", "hesa_id", "training_route", "itt_aim", "itt_start_date", "itt_end_date",
    "course_subject_1", "course_age_range", "course_year", "fund_code", "funding_method")]
internal sealed record TraineeRequest : TraineeFields
{
    [Description("The trainee's degrees; at least one on a postgraduate route.")]
    public IReadOnlyList<DegreeRequest>? DegreesAttributes { get; init; }

    [Description("The trainee's placements.")]
    public IReadOnlyList<PlacementRequest>? PlacementsAttributes { get; init; }
}

/// <summary>A change to a trainee (<c>PUT</c>/<c>PATCH</c>): only the fields sent change; degrees and placements have their own endpoints.</summary>
[Description("The fields to change; the others keep their values. Null leaves a field as it is, except the subjects 2 and 3, the training partner and the employing school, which it clears; an empty string clears any field.")]
internal sealed record TraineeUpdateRequest : TraineeFields;

[Description("{\"data\": the trainee}.")]
internal sealed record TraineeRequestBody(TraineeRequest Data);

[Description("{\"data\": the fields to change}.")]
internal sealed record TraineeUpdateBody(TraineeUpdateRequest Data);

/// <summary>A trainee as the API answers it (<see cref="Domain.TraineeJson.Trainee"/>): every key, null where the trainee has no value.</summary>
[ExactKeys]
[DynamicKeys("^disability[0-9]+$", "HESA DISABLE code: disability1, disability2 … one for each of the trainee's disabilities.")]
[Description("A trainee: every key is present, null where the trainee has no value; dates are YYYY-MM-DD, times ISO 8601 in UTC.")]
internal sealed record TraineeResponse
{
    [Description("First names; null once the trainee's personal data is erased.")]
    public required string? FirstNames { get; init; }

    [Description("Last name.")]
    public required string? LastName { get; init; }

    [Description("Date of birth.")]
    public required DateOnly? DateOfBirth { get; init; }

    [Description("When the trainee was made.")]
    public required DateTimeOffset CreatedAt { get; init; }

    [Description("When the trainee, a degree or a placement last changed.")]
    public required DateTimeOffset UpdatedAt { get; init; }

    public required string? Email { get; init; }

    public required string? MiddleNames { get; init; }

    [Description("HESA ENTRYRTE code.")]
    public required string TrainingRoute { get; init; }

    [Description("HESA SEXID code.")]
    public required string? Sex { get; init; }

    [Description("Derived from ethnicity and disabilities.")]
    [Values("diversity_disclosed", "diversity_not_disclosed")]
    public required string? DiversityDisclosure { get; init; }

    [Description("Derived from ethnicity.")]
    [Values("asian_ethnic_group", "black_ethnic_group", "mixed_ethnic_group", "white_ethnic_group", "other_ethnic_group", "not_provided_ethnic_group")]
    public required string? EthnicGroup { get; init; }

    [Description("The label of the ethnicity code.")]
    public required string? EthnicBackground { get; init; }

    [Description("Always null: Register keeps no free-text ethnic background.")]
    public required string? AdditionalEthnicBackground { get; init; }

    [Description("Derived from the disabilities.")]
    [Values("disabled", "no_disability", "disability_not_provided")]
    public required string? DisabilityDisclosure { get; init; }

    public required DateOnly IttStartDate { get; init; }

    [Description("The date the trainee met the QTS or EYTS standards.")]
    public required DateOnly? OutcomeDate { get; init; }

    public required DateOnly IttEndDate { get; init; }

    [Description("Teacher reference number, once TRS has given one.")]
    public required string? Trn { get; init; }

    public required DateTimeOffset? SubmittedForTrnAt { get; init; }

    public required DateOnly? DeferDate { get; init; }

    [Description("When the trainee was recommended for QTS or EYTS (to the second).")]
    public required DateTimeOffset? RecommendedForAwardAt { get; init; }

    public required DateOnly? TraineeStartDate { get; init; }

    public required DateOnly? ReinstateDate { get; init; }

    [Description("From course_age_range.")]
    public required int? CourseMinAge { get; init; }

    [Description("From course_age_range.")]
    public required int? CourseMaxAge { get; init; }

    public required DateTimeOffset? AwardedAt { get; init; }

    [Description("HESA INITIATIVES code, or null for none.")]
    public required string? TrainingInitiative { get; init; }

    [Description("HESA MODE code, as sent.")]
    public required string? StudyMode { get; init; }

    [Values("early_years", "primary", "secondary")]
    public required string CourseEducationPhase { get; init; }

    public required string? HesaId { get; init; }

    [Description("How the trainee came to Register: api, csv (an upload) …")]
    public required string RecordSource { get; init; }

    public required string? ProviderTraineeId { get; init; }

    public required string? DeferReason { get; init; }

    [Description("The provider's UKPRN.")]
    public required string? Ukprn { get; init; }

    [Description("HESA ETHNIC code.")]
    public required string? Ethnicity { get; init; }

    [Description("The route's award.")]
    [Values("QTS", "EYTS")]
    public required string? CourseQualification { get; init; }

    [Description("Always null.")]
    public required string? CourseTitle { get; init; }

    [Values("undergrad", "postgrad")]
    public required string CourseLevel { get; init; }

    [Description("The same as itt_start_date.")]
    public required DateOnly CourseIttStartDate { get; init; }

    [Description("HESA ITTPHSC code.")]
    public required string? CourseAgeRange { get; init; }

    public required string? EmployingSchoolUrn { get; init; }

    public required string? TrainingPartnerUkprn { get; init; }

    public required string? TrainingPartnerUrn { get; init; }

    public required string? PreviousLastName { get; init; }

    [Description("HESA ITTAIM code.")]
    public required string? IttAim { get; init; }

    public required int? CourseYear { get; init; }

    public required DateOnly? PgApprenticeshipStartDate { get; init; }

    [Description("HESA BURSLEV code.")]
    public required string? FundingMethod { get; init; }

    public required string? NiNumber { get; init; }

    [Description("HESA INITIATIVES code.")]
    public required string? AdditionalTrainingInitiative { get; init; }

    [Description("HESA QLAIM code.")]
    public required string? IttQualificationAim { get; init; }

    [Description("HESA FUNDCODE.")]
    public required string? FundCode { get; init; }

    [JsonPropertyName("course_subject_1")]
    [Description("HECoS code.")]
    public required string? CourseSubject1 { get; init; }

    [JsonPropertyName("course_subject_2")]
    [Description("HECoS code.")]
    public required string? CourseSubject2 { get; init; }

    [JsonPropertyName("course_subject_3")]
    [Description("HECoS code.")]
    public required string? CourseSubject3 { get; init; }

    [Description("HESA NATION code.")]
    public required string? Nationality { get; init; }

    public required DateOnly? WithdrawalDate { get; init; }

    [Description("The withdrawal reason codes (GET /reference-data?field=withdrawal_reasons).")]
    public required IReadOnlyList<string>? WithdrawalReasons { get; init; }

    [Description("Who decided the trainee withdrew.")]
    [Values("provider", "trainee")]
    public required string? WithdrawalTrigger { get; init; }

    [Values("yes", "no", "unknown")]
    public required string? WithdrawalFutureInterest { get; init; }

    public required string? WithdrawalAnotherReason { get; init; }

    public required string? WithdrawalSafeguardingConcernReasons { get; init; }

    public required IReadOnlyList<PlacementResponse> Placements { get; init; }

    public required IReadOnlyList<DegreeResponse> Degrees { get; init; }

    [Values("draft", "submitted_for_trn", "trn_received", "recommended_for_award", "withdrawn", "deferred", "awarded")]
    public required string State { get; init; }

    [Description("Register's id of the trainee, for the trainee's URLs.")]
    public required string TraineeId { get; init; }

    public required int? ApplicationId { get; init; }

    [Description("HESA country code of the iQTS country.")]
    public required string? IqtsCountry { get; init; }
}

[ExactKeys]
[Description("{\"data\": the trainee}.")]
internal sealed record TraineeEnvelope(TraineeResponse Data);

/// <summary>A page of trainees.</summary>
[ExactKeys]
[Description("A page of trainees, most recently changed first (sort_order=desc), and where the page is.")]
internal sealed record TraineeList(IReadOnlyList<TraineeResponse> Data, PageMeta Meta);

/// <summary>409: <c>{"errors":[{"error":"Conflict","message":"This trainee is already in Register"}],"data":[...]}</c>.</summary>
[ExactKeys]
[Description("The trainee is already in Register: the trainees it duplicates.")]
internal sealed record TraineeConflict(IReadOnlyList<TraineeApiError> Errors, IReadOnlyList<TraineeResponse> Data);
