using System.Text.Json;
using Register.Trainees.Domain;
using Register.Trainees.ReferenceData;

namespace Register.Trainees.Features.Trs;

/// <summary>
/// What Register sends TRS, built from the trainee as it is when sent (spec §1.3, §1.5, §1.6 and the reference's code
/// tables): Register stores HESA codes, the tables key the reference's names, so the route's HESA code goes through its
/// name (<see cref="TrainingRoutes"/>), the sex's HESA code through its name, the age range's code through its ages.
/// </summary>
internal static class TrsBodies
{
    /// <summary>Route type GUIDs by the reference's training_route (spec §1.6).</summary>
    public static IReadOnlyDictionary<string, string> RouteTypeIds { get; } = new Dictionary<string, string>
    {
        ["assessment_only"] = "57b86cef-98e2-4962-a74a-d47c7a34b838",
        ["early_years_assessment_only"] = "d9eef3f8-fde6-4a3f-a361-f6655a42fa1e",
        ["early_years_postgrad"] = "dbc4125b-9235-41e4-abd2-baabbf63f829",
        ["early_years_salaried"] = "4477e45d-c531-4c63-9f4b-e157766366fb",
        ["early_years_undergrad"] = "c97c0fd2-fd84-4949-97c7-b0e2422fb3c8",
        ["hpitt_postgrad"] = "bfef20b2-5ac4-486d-9493-e5a4538e1be9",
        ["iqts"] = "d0b60864-ab1c-4d49-a5c2-ff4bd9872ee1",
        ["opt_in_undergrad"] = "20f67e38-f117-4b42-bbfc-5812aa717b94",
        ["pg_teaching_apprenticeship"] = "6987240e-966e-485f-b300-23b54937fb3a",
        ["provider_led_postgrad"] = "97497716-5ac5-49aa-a444-27fa3e2c152a",
        ["provider_led_undergrad"] = "53a7fbda-25fd-4482-9881-5cf65053888d",
        ["school_direct_salaried"] = "12a742c3-1cd4-43b7-a2fa-1000bd4cc373",
        ["school_direct_tuition_fee"] = "d9490e58-acdc-4a38-b13e-5a5c21417737",
        ["teach_first"] = "5b7f5e90-1ca6-4529-baa0-dfba68e698b8",
        // Upper case in the reference; GUIDs compare without case.
        ["teacher_degree_apprenticeship"] = "5D4C01C1-0841-4306-B49C-48AD6499FDC0",
    };

    /// <summary>Degree type GUIDs by HESA itt_qualification_aim (spec §1.6; "Masters, not by research" is TRS's "Unknown").</summary>
    public static IReadOnlyDictionary<string, string> DegreeTypeIds { get; } = new Dictionary<string, string>
    {
        ["007"] = "969c89e7-35b8-43d8-be07-17ef76c3b4bf",
        ["008"] = "dbb7c27b-8a27-4a94-908d-4b4404acebd5",
        ["001"] = "b7b0635a-22c3-41e3-a420-77b9b58c51cd",
        ["002"] = "9b35bdfa-cbd5-44fd-a45a-6167e7559de7",
        ["003"] = "35d04fbb-c19b-4cd9-8fa6-39d90883a52a",
        ["004"] = "9959e914-f4f4-44cd-909f-e170a0f1ac42",
        ["020"] = "40a85dd0-8512-438e-8040-649d7d677d07",
        ["021"] = "63d80489-ee3d-43af-8c4a-1d6ae0d65f68",
        ["028"] = "dba69141-4101-4e05-80e0-524e3967d589",
        ["031"] = "d8e267d2-ed85-4eee-8119-45d0c6cc5f6b",
        ["032"] = "9cf31754-5ac5-46a1-99e5-5c98cba1b881",
    };

    /// <summary>
    /// The subjects TRS knows by the codes agreed with it rather than HECoS (spec §1.6), by the course subject's name. Register's
    /// course_subject list (72 HECoS codes) has none of the three today; the table is here so that adding one sends the right code.
    /// </summary>
    public static IReadOnlyDictionary<string, string> AgreedSubjectCodes { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["citizenship"] = "999001",
        ["physical education"] = "999002",
        ["design and technology"] = "999003",
    };

    /// <summary>The reference's fixed country fallbacks (ISO codes TRS does not list), after a territory suffix is stripped.</summary>
    private static readonly Dictionary<string, string> CountryFallbacks = new(StringComparer.Ordinal)
    {
        ["CY"] = "XC",
        ["BQ"] = "NL",
        ["SH"] = "GB",
        ["UM"] = "US",
        ["TW"] = "CN",
    };

    public const string InTraining = "InTraining";
    public const string UnderAssessment = "UnderAssessment";
    public const string Deferred = "Deferred";
    public const string Withdrawn = "Withdrawn";
    public const string Holds = "Holds";

    public static TrnRequestBody TrnRequest(Trainee trainee, Guid requestId) => new()
    {
        RequestId = requestId.ToString(),
        Person = new TrnRequestPerson
        {
            FirstName = trainee.FirstNames,
            MiddleName = trainee.MiddleNames,
            LastName = trainee.LastName,
            DateOfBirth = trainee.DateOfBirth,
            EmailAddresses = trainee.Email is { Length: > 0 } email ? [email] : [],
            Gender = Gender(trainee.Sex),
        },
    };

    public static PersonalDataBody PersonalData(Trainee trainee) => new()
    {
        FirstName = trainee.FirstNames,
        MiddleName = trainee.MiddleNames,
        LastName = trainee.LastName,
        DateOfBirth = trainee.DateOfBirth,
        EmailAddress = trainee.Email,
        Gender = Gender(trainee.Sex),
    };

    /// <summary>The route PUT for the trainee's state, or null when there is nothing to send (a draft, or a route TRS has no type for).</summary>
    public static RouteBody? Route(Trainee trainee, string? providerUkprn)
    {
        var route = TrainingRoutes.ByCode(trainee.TrainingRoute);
        if (route is null || !RouteTypeIds.TryGetValue(route.Name, out var routeTypeId) || Status(trainee, route) is not { } status)
        {
            return null;
        }

        var ages = HesaCodes.Instance.CourseAgeRange.ByCode(trainee.CourseAgeRange)?.Ages;
        return new RouteBody
        {
            RouteToProfessionalStatusTypeId = routeTypeId,
            Status = status,
            HoldsFrom = status == Holds ? trainee.OutcomeDate : null,
            TrainingStartDate = trainee.IttStartDate,
            TrainingEndDate = trainee.IttEndDate,
            TrainingSubjectReferences = Subjects(trainee),
            TrainingAgeSpecialism = ages is { } a ? new TrainingAgeSpecialism("Range", a.Min, a.Max) : null,
            TrainingCountryReference = Country(trainee, route),
            TrainingProviderUkprn = providerUkprn,
            DegreeTypeId = trainee.IttQualificationAim is { } aim && DegreeTypeIds.TryGetValue(aim, out var degreeType) ? degreeType : null,
        };
    }

    /// <summary>The status table of spec §1.6; null for a state TRS is never told about (draft).</summary>
    public static string? Status(Trainee trainee, TrainingRoute route) => trainee.State switch
    {
        TraineeStates.SubmittedForTrn or TraineeStates.TrnReceived => route.Name == "assessment_only" ? UnderAssessment : InTraining,
        TraineeStates.Deferred => Deferred,
        TraineeStates.Withdrawn => Withdrawn,
        TraineeStates.RecommendedForAward or TraineeStates.Awarded => Holds,
        _ => null,
    };

    /// <summary>The reference's gender codes: male → Male, female → Female, anything else given → Other.</summary>
    public static string? Gender(string? sex) => HesaCodes.Instance.Sex.ByCode(sex)?.Name switch
    {
        null => null,
        "male" => "Male",
        "female" => "Female",
        _ => "Other",
    };

    /// <summary>Up to three: HECoS codes as Register stores them, or the code agreed with TRS for the three subjects it knows so.</summary>
    private static List<string> Subjects(Trainee trainee)
    {
        if (string.IsNullOrEmpty(trainee.CourseSubject1))
        {
            return [];
        }

        return new[] { trainee.CourseSubject1, trainee.CourseSubject2, trainee.CourseSubject3 }
            .Where(s => !string.IsNullOrEmpty(s))
            .Select(code => HesaCodes.Instance.CourseSubject.ByCode(code)?.Name is { } name && AgreedSubjectCodes.TryGetValue(name, out var agreed) ? agreed : code!)
            .Take(3)
            .ToList();
    }

    /// <summary><c>GB</c>, except an iQTS trainee's country: its code, territory suffix stripped, with the reference's fallbacks.</summary>
    private static string Country(Trainee trainee, TrainingRoute route)
    {
        if (!route.Iqts || string.IsNullOrWhiteSpace(trainee.IqtsCountry))
        {
            return "GB";
        }

        var code = trainee.IqtsCountry.Split('-')[0].ToUpperInvariant();
        return CountryFallbacks.GetValueOrDefault(code, code);
    }

    /// <summary>The body as sent, for comparing what an edit changes.</summary>
    public static string Json<T>(T body) => JsonSerializer.Serialize(body, TrsJson.Options);
}
