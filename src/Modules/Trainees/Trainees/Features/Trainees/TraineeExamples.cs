using System.Text.Json.Nodes;
using Register.Trainees.Domain;
using Register.Trainees.Versions;

namespace Register.Trainees.Features.Trainees;

/// <summary>
/// The examples in the trainee documents (from the spec's): a request in Register's names renamed for the version, and
/// the answer made by <see cref="TraineeJson"/> itself from a sample trainee, so it is what the version really writes.
/// </summary>
internal static class TraineeExamples
{
    private static readonly DateTimeOffset Created = new(2025, 8, 1, 9, 30, 0, TimeSpan.Zero);

    /// <summary>A new trainee on the provider-led postgraduate route, with a degree and a placement.</summary>
    public static JsonNode Request(TraineeApiVersion version) => InVersionWords(new JsonObject
    {
        ["data"] = new JsonObject
        {
            ["first_names"] = "John",
            ["middle_names"] = "Ryan",
            ["last_name"] = "Doe",
            ["date_of_birth"] = "1990-01-01",
            ["sex"] = "11",
            ["email"] = "john.doe@example.com",
            ["nationality"] = "GB",
            ["ethnicity"] = "142",
            ["disability1"] = "58",
            ["training_route"] = "12",
            ["itt_aim"] = "202",
            ["itt_qualification_aim"] = "001",
            ["course_subject_1"] = "100425",
            ["course_subject_2"] = "100403",
            ["course_age_range"] = "13918",
            ["study_mode"] = "01",
            ["itt_start_date"] = "2025-09-01",
            ["itt_end_date"] = "2026-07-31",
            ["course_year"] = "1",
            ["fund_code"] = "7",
            ["funding_method"] = "6",
            ["hesa_id"] = "0310261553101",
            ["provider_trainee_id"] = "99157234/2/01",
            ["training_partner_urn"] = "900020",
            ["degrees_attributes"] = new JsonArray(new JsonObject
            {
                ["subject"] = "100425",
                ["institution"] = "0116",
                ["uk_degree"] = "083",
                ["grade"] = "02",
                ["graduation_year"] = "2012",
            }),
            ["placements_attributes"] = new JsonArray(new JsonObject { ["urn"] = "883876" }),
        },
    }, version);

    /// <summary>The trainee that <see cref="Request"/> makes, as the version answers it once TRS has given a TRN.</summary>
    public static JsonObject Trainee(TraineeApiVersion version)
    {
        var trainee = new Trainee
        {
            Slug = "vcqUwPRSfUXvxU9Bd2Ns7GNz",
            State = TraineeStates.TrnReceived,
            ProviderTraineeId = "99157234/2/01",
            HesaId = "0310261553101",
            FirstNames = "John",
            MiddleNames = "Ryan",
            LastName = "Doe",
            DateOfBirth = new DateOnly(1990, 1, 1),
            Email = "john.doe@example.com",
            Sex = "11",
            Nationality = "GB",
            Ethnicity = "142",
            Disabilities = ["58"],
            IttAim = "202",
            IttQualificationAim = "001",
            TrainingRoute = "12",
            CourseSubject1 = "100425",
            CourseSubject2 = "100403",
            StudyMode = "01",
            CourseAgeRange = "13918",
            CourseYear = 1,
            FundCode = "7",
            FundingMethod = "6",
            IttStartDate = new DateOnly(2025, 9, 1),
            IttEndDate = new DateOnly(2026, 7, 31),
            TraineeStartDate = new DateOnly(2025, 9, 1),
            StartAcademicYear = 2025,
            TrainingPartnerUrn = "900020",
            Trn = "1234567",
            SubmittedForTrnAt = Created,
            CreatedAt = Created,
            UpdatedAt = Created.AddMinutes(5),
        };
        var degree = new Degree
        {
            Slug = "Xh8vdnsqWCy7tQxnbwGZ6YEF",
            Subject = "100425",
            Institution = "0116",
            UkDegree = "083",
            Grade = "02",
            GraduationYear = 2012,
            CreatedAt = Created,
            UpdatedAt = Created,
        };
        var placement = new Placement { Slug = "mKkc1r6ouqQg5ZjAUGzXrPPs", Urn = "883876", Name = "Oak Academy", Postcode = "LS1 4AP", CreatedAt = Created, UpdatedAt = Created };
        return TraineeJson.Trainee(trainee, [degree], [placement], "10000571", version);
    }

    public static JsonNode Envelope(TraineeApiVersion version) => new JsonObject { ["data"] = Trainee(version) };

    /// <summary>A JSON request in the version's field names (what <see cref="Api.RequestBody"/> reads back into Register's).</summary>
    public static JsonNode InVersionWords(JsonNode node, TraineeApiVersion version) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(version.Wire(p.Key), p.Value is null ? null : InVersionWords(p.Value, version)))),
        JsonArray a => new JsonArray(a.Select(i => i is null ? null : InVersionWords(i, version)).ToArray()),
        _ => node.DeepClone(),
    };
}
