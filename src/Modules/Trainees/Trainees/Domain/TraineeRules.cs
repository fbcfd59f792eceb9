using System.Globalization;
using System.Text.RegularExpressions;
using Register.Trainees.ReferenceData;
using Register.Trainees.Versions;

namespace Register.Trainees.Domain;

/// <summary>What the trainee rules found: the broken rules in the reference's order, or the trainee and its degrees and placements.</summary>
internal sealed record TraineeRulesResult(IReadOnlyList<TraineeError> Errors, Trainee Trainee, IReadOnlyList<DegreeDraft> Degrees, IReadOnlyList<PlacementDraft> Placements)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// The rules of a trainee record (spec §5), shared by POST and PUT/PATCH /trainees and every row of a CSV upload, in the
/// order the reference reports them. The version decides what differs (routes, the primary subject rule, date windows,
/// study mode, iQTS country, the early-years rules).
/// </summary>
internal static partial class TraineeRules
{
    private const string PrimaryTeaching = "100511";
    private const string EarlyYearsTeaching = "100510";
    private const string EarlyYearsAgeRange = "13920";
    private const string NotProvidedEthnicity = "997";

    public static TraineeRulesResult Validate(TraineeDraft draft, TraineeApiVersion version, KnownOrganisations known, DateOnly today) =>
        new Run(draft, version, known, today).Validate();

    /// <summary>The academic cycle the rules use: of the trainee start date, else the ITT start date, else of a month from today.</summary>
    public static int CycleOf(DateOnly? traineeStart, DateOnly? ittStart, DateOnly today) =>
        AcademicCycles.Of(traineeStart ?? ittStart ?? today.AddMonths(1));

    /// <summary>
    /// ISO 8601 dates as the reference takes them: <c>2026-09-01</c>, <c>20260901</c>, or either with a time after it.
    /// An impossible date (<c>2026-02-30</c>) is no date.
    /// </summary>
    public static DateOnly? IsoDate(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var match = IsoDatePattern().Match(text);
        return match.Success && DateOnly.TryParseExact(match.Groups[1].Value + match.Groups[2].Value + match.Groups[3].Value, "yyyyMMdd",
            CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;
    }

    [GeneratedRegex(@"^([0-9]{4})-?([0-9]{2})-?([0-9]{2})(?:T[0-9:.]+(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?$")]
    private static partial Regex IsoDatePattern();

    private sealed class Run(TraineeDraft draft, TraineeApiVersion version, KnownOrganisations known, DateOnly today)
    {
        private readonly HesaCodes _codes = HesaCodes.Instance;
        private readonly List<TraineeError> _errors = [];

        private void Add(string field, string message) => _errors.Add(new TraineeError(field, message));

        private string? this[string field] => draft[field];

        public TraineeRulesResult Validate()
        {
            _errors.AddRange(draft.TextErrors);
            var route = TrainingRoutes.ByCode(this["training_route"]);
            var routeText = this["training_route"];
            var earlyYears = route?.EarlyYears == true;
            var ageRange = _codes.CourseAgeRange.ByCode(this["course_age_range"]);
            // A primary course ends by age 11; the early-years range (0 to 5) is not one.
            var primary = ageRange?.Ages is { Max: <= 11 } && ageRange.Code != EarlyYearsAgeRange;

            // v2025.0 puts primary teaching first and moves the other subjects down instead of refusing them.
            var subjects = new[] { this["course_subject_1"], this["course_subject_2"], this["course_subject_3"] };
            if (version.PrimarySubject == PrimarySubjectRule.MovePrimaryTeachingFirst && primary)
            {
                var others = subjects.Where(s => s is not null && s != PrimaryTeaching).ToList();
                subjects = [PrimaryTeaching, others.ElementAtOrDefault(0), others.ElementAtOrDefault(1)];
            }

            var (subject1, subject2, subject3) = (subjects[0], subjects[1], subjects[2]);
            var requireSubject = !(version.EarlyYearsRules && earlyYears);

            // 1–4: subjects for the phase and route, and no subject twice.
            if (version.PrimarySubject == PrimarySubjectRule.RequirePrimaryTeachingFirst && primary && requireSubject && subject1 is not null && subject1 != PrimaryTeaching)
            {
                Add("course_subject_1", $"is invalid. It should be `{PrimaryTeaching}` for the course_age_range provided");
            }

            if (version.EarlyYearsRules && earlyYears && subject1 is not null && subject1 != EarlyYearsTeaching)
            {
                Add("course_subject_1", $"is invalid. It should be `{EarlyYearsTeaching}` for the training_route provided");
            }

            if (requireSubject && subject2 is not null && subject2 == subject1)
            {
                Add("course_subject_2", "might contain duplicate values");
            }

            if (requireSubject && subject3 is not null && (subject3 == subject1 || subject3 == subject2))
            {
                Add("course_subject_3", "might contain duplicate values");
            }

            // 5: the end date.
            var ittStart = IsoDate(this["itt_start_date"]);
            var ittEnd = IsoDate(this["itt_end_date"]);
            if (ittStart is { } start && ittEnd is { } end)
            {
                if (version.IttEndDateWindow && end.Year > today.Year + 5)
                {
                    Add("itt_end_date", "must be within the next 5 years");
                }
                else if (version.IttEndDateWindow && end <= today.AddYears(-10))
                {
                    Add("itt_end_date", "must be within the last 10 years");
                }
                else if (start >= end)
                {
                    Add("itt_end_date", "must be after itt_start_date");
                }
            }

            // 6–11: lengths and the fields every trainee has.
            TooLong("provider_trainee_id", 50);
            TooLong("application_id", 7);
            foreach (var field in new[] { "first_names", "last_name", "date_of_birth", "sex", "training_route", "itt_start_date", "itt_end_date", "hesa_id" })
            {
                Required(field);
            }

            if (subject1 is null)
            {
                Add("course_subject_1", "can't be blank");
            }

            if (!(routeText is not null && version.RoutesWithoutStudyMode.Contains(routeText)))
            {
                Required("study_mode");
            }

            var email = this["email"];
            Required("email");
            TooLong("email", 255);
            if (email is not null && !EmailAddress.IsValid(email))
            {
                Add("email", "Enter an email address in the correct format, like name@example.com");
            }

            // 12–14: dates.
            if (this["itt_start_date"] is not null && ittStart is null)
            {
                Add("itt_start_date", "is invalid");
            }
            else if (ittStart is { } startDate && startDate.Year > today.Year + 1)
            {
                Add("itt_start_date", "must not be more than one year in the future");
            }

            if (this["itt_end_date"] is not null && ittEnd is null)
            {
                Add("itt_end_date", "is invalid");
            }

            var traineeStartText = this["trainee_start_date"] ?? this["itt_start_date"];
            var traineeStart = IsoDate(traineeStartText);
            var traineeStartInvalid = traineeStartText is not null && traineeStart is null;
            if (traineeStartInvalid)
            {
                Add("trainee_start_date", "is invalid");
            }
            else if (traineeStart is { } ts && ts <= today.AddYears(-10))
            {
                Add("trainee_start_date", "Cannot be more than 10 years in the past");
            }
            else if (traineeStart is { } future && future > today && future != ittStart)
            {
                Add("trainee_start_date", "must be in the past");
            }

            var dateOfBirth = IsoDate(this["date_of_birth"]);
            if (this["date_of_birth"] is not null)
            {
                if (dateOfBirth is null || dateOfBirth <= today.AddYears(-100))
                {
                    Add("date_of_birth", "is invalid");
                }
                else if (dateOfBirth > today)
                {
                    Add("date_of_birth", "must be in the past");
                }
                else if (dateOfBirth > today.AddYears(-16))
                {
                    Add("date_of_birth", "cannot be less than 16 years ago");
                }
            }

            // 15–17: degrees, and the HESA id.
            var degrees = draft.Degrees.Select(DegreeRules.Map).ToList();
            var degreeCount = draft.Stored is null ? degrees.Count : -1;
            if (routeText is not null && route?.Undergraduate != true && degreeCount == 0)
            {
                Add(TraineeError.Degrees, "must be entered if specifying a postgraduate training_route");
            }

            if (degrees.Select(d => d.DuplicateKey).Where(k => k.Count > 0).GroupBy(k => string.Join("|", k)).Any(g => g.Count() > 1))
            {
                Add(TraineeError.Degrees, "contains duplicate degrees");
            }

            if (this["hesa_id"] is { } hesaId && hesaId.Length is not (13 or 17))
            {
                Add("hesa_id", "must be 13 or 17 characters");
            }

            // 18–22: ethnicity, sex, names.
            Included("ethnicity", _codes.Ethnicity);
            Included("sex", _codes.Sex);
            TooLong("first_names", 60);
            TooLong("last_name", 60);
            TooLong("middle_names", 60);

            // 23: what came with the trainee (placements, degrees), then its HESA details and funding.
            var placements = draft.Placements.Select(p => PlacementRules.Map(p, known, withPostcode: false)).ToList();
            foreach (var placement in placements)
            {
                _errors.AddRange(PlacementRules.Validate(placement).Select(e => e.In(TraineeError.Placements)));
            }

            foreach (var degree in degrees)
            {
                _errors.AddRange(DegreeRules.Validate(degree, today).Select(e => e.In(TraineeError.Degrees)));
            }

            var cycle = CycleOf(traineeStart, ittStart, today);
            var subjectName = _codes.CourseSubject.ByCode(subject1)?.Name ?? subject1;
            var initiative = InitiativeOf(this["funding_method"], this["training_initiative"]);
            if (initiative is { Known: true, Name: var name } && name != TrainingInitiatives.None && TrainingInitiatives.IsUnavailable(name, cycle))
            {
                Add("training_initiative", $"'{name}' is not available in academic cycle '{AcademicCycles.Label(cycle)}'");
            }

            HesaDetails(route, routeText, ageRange, cycle, subjectName, earlyYears);

            // 24–28: coded fields.
            if (!traineeStartInvalid && routeText is not null && !RouteAccepted(routeText, cycle))
            {
                var shown = _codes.TrainingRoute.ByCode(routeText)?.Name ?? routeText;
                Add("training_route", CodeList.InvalidValueMessage(shown, version.TrainingRoutes));
            }

            IncludedValue("course_subject_1", subject1, _codes.CourseSubject);
            IncludedValue("course_subject_2", subject2, _codes.CourseSubject);
            IncludedValue("course_subject_3", subject3, _codes.CourseSubject);
            Included("study_mode", _codes.StudyMode);
            Included("nationality", _codes.Nationality);
            if (initiative is { Known: false, Name: var unknownInitiative })
            {
                Add("training_initiative", _codes.TrainingInitiative.InvalidValueMessage(unknownInitiative));
            }

            // 29–34: disabilities, the training partner, the employing school, the iQTS country.
            var disabilities = draft.Disabilities.Select(d => _codes.Disability.ByCode(d)?.Code).OfType<string>().ToList();
            if (disabilities.Distinct().Count() != disabilities.Count)
            {
                Add("disabilities", "contain duplicate values");
            }

            var trainingPartner = TrainingPartner();
            var employingSchool = EmployingSchool();
            if (version.IqtsCountry)
            {
                IqtsCountry(route);
            }

            var trainee = Build(route, subjects, ittStart, ittEnd, traineeStart, dateOfBirth, cycle, initiative, disabilities, trainingPartner, employingSchool);
            return new TraineeRulesResult(_errors, trainee, degrees, placements);
        }

        /// <summary>The nested HESA details of the reference: presence, the funding rules, then the coded fields.</summary>
        private void HesaDetails(TrainingRoute? route, string? routeText, ReferenceValue? ageRange, int cycle, string? subjectName, bool earlyYears)
        {
            foreach (var field in new[] { "itt_aim", "course_year", "course_age_range", "fund_code", "funding_method" })
            {
                Required(field);
            }

            var fundCode = this["fund_code"];
            var fundingMethod = this["funding_method"];
            var checksFunding = Funding.HasTable(cycle);
            if (checksFunding && fundCode == "7" && routeText is not null
                && (route is null || !Funding.RouteIsFunded(cycle, route.Name) || ageRange?.Code is null))
            {
                Add("fund_code", "is not valid for this trainee");
            }

            if (checksFunding && routeText is not null && Funding.TypeOf(fundingMethod) is { } type)
            {
                var routeName = route?.Name ?? routeText;
                if (fundCode != "7" && !Funding.FundCodeExceptionApplies(cycle, subjectName, version.FundCodeExceptionCycles))
                {
                    Add("funding_method", $"'{type}' is not allowed when fund_code is '{fundCode}' and course_subject_1 is '{subjectName}'");
                }
                else if (!Funding.Exists(cycle, type, routeName, subjectName))
                {
                    Add("funding_method",
                        $"'{type}' is not allowed when training_route is '{routeName}' and course_subject_1 is '{subjectName}' in academic cycle '{AcademicCycles.Label(cycle)}'");
                }
            }

            var additional = _codes.TrainingInitiative.ByCode(this["additional_training_initiative"]);
            if (version.ChecksAdditionalInitiativeCycle && additional is not null && TrainingInitiatives.IsUnavailable(additional.Name, cycle))
            {
                Add("additional_training_initiative", $"'{additional.Name}' is not available in academic cycle '{AcademicCycles.Label(cycle)}'");
            }

            if (version.EarlyYearsRules && route is not null && this["course_age_range"] is { } range)
            {
                if (earlyYears && range != EarlyYearsAgeRange)
                {
                    Add("course_age_range", $"is invalid. It should be `{EarlyYearsAgeRange}` for the training_route provided");
                }
                else if (!earlyYears && range == EarlyYearsAgeRange)
                {
                    Add("course_age_range", "is invalid. It can only be used for early years training routes");
                }
            }

            if (this["itt_aim"] is null or "202" && this["itt_qualification_aim"] is null)
            {
                Add("itt_qualification_aim", "must be entered if 202 selected for itt_aim");
            }

            Included("itt_aim", _codes.IttAim);
            Included("itt_qualification_aim", _codes.IttQualificationAim);
            if (this["course_age_range"] is { } code)
            {
                // 13920 (0 to 5) is an early-years range, which versions before v2026.1 do not know.
                var ranges = version.EarlyYearsRules ? _codes.CourseAgeRange.Codes : _codes.CourseAgeRange.Codes.Where(c => c != EarlyYearsAgeRange).ToList();
                if (!ranges.Contains(code))
                {
                    Add("course_age_range", CodeList.InvalidValueMessage(code, ranges));
                }
            }

            Included("funding_method", _codes.FundingMethod);
            Included("fund_code", _codes.FundCode);
            if (this["course_year"] is { } year && !int.TryParse(year, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            {
                Add("course_year", "is not a valid course year");
            }

            Included("additional_training_initiative", _codes.TrainingInitiative);
        }

        private bool RouteAccepted(string code, int cycle) =>
            version.TrainingRoutes.Contains(code) && !(TrainingRoutes.ByCode(code)?.FirstStartYear is { } first && cycle < first);

        /// <summary>
        /// The training partner the request names (its id, URN and UKPRN), or the one already stored when an update does not
        /// name one; none for no partner, a "not applicable" URN, or an unknown one (which is an error).
        /// </summary>
        private (Guid Id, string? Urn, string? Ukprn)? TrainingPartner()
        {
            if (draft.TrainingPartnerKey is not { } key)
            {
                return draft.Stored is { TrainingPartnerId: { } id } stored ? (id, stored.TrainingPartnerUrn, stored.TrainingPartnerUkprn) : null;
            }

            var value = this[key];
            if (value is null || (key == "training_partner_urn" && KnownOrganisations.NotApplicableUrns.ContainsKey(value)))
            {
                return null;
            }

            var partner = key == "training_partner_urn" ? known.PartnerByUrn(value) : known.PartnerByUkprn(value);
            if (partner is null)
            {
                var (field, kind) = version.NamesTheSentPartnerField ? (key, key == "training_partner_urn" ? "URN" : "UKPRN") : ("training_partner_id", "URN");
                Add(field, $"is invalid. The {kind} '{value}' does not match any known training partners");
                return null;
            }

            return (partner.Id, partner.Urn, partner.Ukprn);
        }

        private string? EmployingSchool()
        {
            if (!draft.EmployingSchoolSent)
            {
                return draft.Stored?.EmployingSchoolUrn;
            }

            var urn = this["employing_school_urn"];
            if (urn is null || KnownOrganisations.NotApplicableUrns.ContainsKey(urn))
            {
                return null;
            }

            if (known.SchoolByUrn(urn) is null)
            {
                Add("employing_school_id", $"is invalid. The URN '{urn}' does not match any known schools");
                return null;
            }

            return urn;
        }

        private void IqtsCountry(TrainingRoute? route)
        {
            var country = this["iqts_country"];
            if (route?.Iqts == true && country is null)
            {
                Add("iqts_country", "can't be blank");
            }
            else if (route?.Iqts != true && country is not null)
            {
                Add("iqts_country", "must be blank");
            }
            else if (country is not null && !_codes.Country.Contains(country))
            {
                Add("iqts_country", _codes.Country.InvalidValueMessage(country));
            }
        }

        /// <summary>Funding method C (veteran undergraduate bursary) sets the veterans initiative, whatever was sent.</summary>
        private (bool Known, string Name)? InitiativeOf(string? fundingMethod, string? code) =>
            fundingMethod == "C" ? (true, TrainingInitiatives.Veterans)
            : code is null ? null
            : _codes.TrainingInitiative.ByCode(code) is { } value ? (true, value.Name)
            : (false, code);

        private Trainee Build(
            TrainingRoute? route, string?[] subjects, DateOnly? ittStart, DateOnly? ittEnd, DateOnly? traineeStart, DateOnly? dateOfBirth, int cycle,
            (bool Known, string Name)? initiative, List<string> disabilities, (Guid Id, string? Urn, string? Ukprn)? trainingPartner, string? employingSchool)
        {
            var template = draft.Stored ?? new Trainee();
            return template with
            {
                ProviderTraineeId = this["provider_trainee_id"],
                ApplicationId = int.TryParse(this["application_id"], NumberStyles.None, CultureInfo.InvariantCulture, out var application) ? application : null,
                HesaId = this["hesa_id"],
                FirstNames = this["first_names"] ?? "",
                MiddleNames = this["middle_names"],
                LastName = this["last_name"] ?? "",
                PreviousLastName = this["previous_last_name"],
                DateOfBirth = dateOfBirth ?? default,
                NiNumber = this["ni_number"],
                Email = this["email"],
                Sex = this["sex"] ?? "",
                Nationality = _codes.Nationality.ByCode(this["nationality"])?.Code,
                Ethnicity = _codes.Ethnicity.ByCode(this["ethnicity"])?.Code ?? NotProvidedEthnicity,
                Disabilities = disabilities.ToArray(),
                IttAim = this["itt_aim"],
                IttQualificationAim = this["itt_qualification_aim"],
                TrainingRoute = route?.Code ?? this["training_route"] ?? "",
                CourseSubject1 = subjects[0],
                CourseSubject2 = subjects[1],
                CourseSubject3 = subjects[2],
                StudyMode = this["study_mode"],
                CourseAgeRange = this["course_age_range"],
                CourseYear = int.TryParse(this["course_year"], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var year) ? year : null,
                FundCode = this["fund_code"],
                FundingMethod = this["funding_method"],
                IqtsCountry = route?.Iqts == true ? this["iqts_country"] : null,
                TrainingInitiative = initiative?.Name ?? TrainingInitiatives.None,
                AdditionalTrainingInitiative = this["additional_training_initiative"],
                IttStartDate = ittStart ?? default,
                IttEndDate = ittEnd ?? default,
                TraineeStartDate = traineeStart,
                PgApprenticeshipStartDate = IsoDate(this["pg_apprenticeship_start_date"]),
                StartAcademicYear = cycle,
                TrainingPartnerId = trainingPartner?.Id,
                TrainingPartnerUrn = trainingPartner?.Urn,
                TrainingPartnerUkprn = trainingPartner?.Ukprn,
                EmployingSchoolUrn = employingSchool,
            };
        }

        private void Required(string field)
        {
            if (this[field] is null)
            {
                Add(field, "can't be blank");
            }
        }

        private void TooLong(string field, int maximum)
        {
            if (this[field] is { } value && value.Length > maximum)
            {
                Add(field, $"is too long (maximum is {maximum} characters)");
            }
        }

        private void Included(string field, CodeList list) => IncludedValue(field, this[field], list);

        private void IncludedValue(string field, string? value, CodeList list)
        {
            if (value is not null && !list.Contains(value))
            {
                Add(field, list.InvalidValueMessage(value));
            }
        }
    }
}
