using System.Net;
using Register.TestKit;

namespace Register.Trainees.Tests;

/// <summary>The versions side by side (spec §1.4, §1.5): each with its field names and the rules in which it differs.</summary>
[Collection(TraineesCollection.Name)]
public sealed class VersionsTests(TraineesFixture fixture) : TraineeApiTest(fixture)
{
    private static readonly string[] Volatile =
    [
        "data.trainee_id", "data.created_at", "data.updated_at", "data.submitted_for_trn_at",
        "data.degrees[*].degree_id", "data.degrees[*].created_at", "data.degrees[*].updated_at",
        "data.placements[*].placement_id", "data.placements[*].created_at", "data.placements[*].updated_at",
    ];

    private async Task<HttpResponseMessage> FullTraineeAsync(string version)
    {
        await Support.CreateAsync(ProviderRequests.School("3TP", "Partner School").With("urn", "660776").With("ukprn", "10000003"));
        await SchoolAsync("883876", "Oak Academy", "LS1 4AP");
        var trainee = (version == "v2025.0" ? TraineeRequests.ValidV2025() : TraineeRequests.Valid())
            .With(version == "v2025.0" ? "lead_partner_urn" : "training_partner_urn", "660776")
            .With("employing_school_urn", "883876").With("disability1", "58").With("disability2", "57").With("ethnicity", "142")
            .With("provider_trainee_id", "99157234/2/01").With("application_id", 6916785).With("middle_names", "Ryan").With("previous_last_name", "Smith")
            .With("placements_attributes", new object[] { new { urn = "883876" }, new { urn = "900020" } });
        return await PostTraineeAsync(trainee, version);
    }

    [Theory]
    [InlineData("v2025.0")]
    [InlineData("v2026.0")]
    [InlineData("v2026.1")]
    public async Task Each_version_answers_a_trainee_in_its_own_names(string version)
    {
        var response = await FullTraineeAsync(version);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Snapshots.MatchJson(await response.Content.ReadAsStringAsync(), version, Volatile);
    }

    [Fact]
    public async Task A_trainee_has_the_references_key_set_sixty_eight_keys_and_one_a_disability()
    {
        var trainee = (await (await FullTraineeAsync("v2026.1")).BodyAsync()).GetProperty("data");

        var keys = trainee.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(70, keys.Count);
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Subset(keys.ToHashSet(), new HashSet<string>
        {
            "trainee_id", "provider_trainee_id", "hesa_id", "first_names", "last_name", "date_of_birth", "created_at", "updated_at", "email", "middle_names",
            "training_route", "sex", "diversity_disclosure", "ethnic_group", "ethnicity", "disability_disclosure", "itt_start_date", "outcome_date",
            "itt_end_date", "trn", "submitted_for_trn_at", "withdrawal_date", "withdrawal_reasons", "withdrawal_trigger", "withdrawal_future_interest",
            "withdrawal_another_reason", "withdrawal_safeguarding_concern_reasons", "defer_date", "defer_reason", "recommended_for_award_at",
            "trainee_start_date", "reinstate_date", "course_min_age", "course_max_age", "course_subject_1", "course_subject_2", "course_subject_3",
            "awarded_at", "training_initiative", "study_mode", "course_education_phase", "record_source", "ukprn", "course_qualification", "course_title",
            "course_level", "course_itt_start_date", "course_age_range", "employing_school_urn", "training_partner_urn", "training_partner_ukprn",
            "fund_code", "course_year", "itt_aim", "ni_number", "pg_apprenticeship_start_date", "previous_last_name", "additional_training_initiative",
            "nationality", "placements", "degrees", "disability1", "disability2", "application_id", "ethnic_background", "additional_ethnic_background",
            "funding_method", "itt_qualification_aim", "state", "iqts_country",
        });
    }

    [Fact]
    public async Task V2025_0_takes_and_answers_its_own_names_and_speaks_of_lead_partners()
    {
        var unknownPartner = await ErrorsAsync(await PostTraineeAsync(TraineeRequests.ValidV2025().With("lead_partner_ukprn", "99999999"), "v2025.0"));
        var blankSubject = await ErrorsAsync(await PostTraineeAsync(TraineeRequests.ValidV2025().Without("course_subject_one"), "v2025.0"));
        var newNameIgnored = await ErrorsAsync(await PostTraineeAsync(TraineeRequests.Valid(), "v2025.0"));

        Assert.Equal(["lead_partner_id is invalid. The URN '99999999' does not match any known lead partners"], unknownPartner);
        Assert.Equal(["course_subject_one can't be blank"], blankSubject);
        Assert.Equal(["course_subject_one can't be blank"], newNameIgnored);
    }

    [Fact]
    public async Task V2025_0_moves_primary_teaching_first_where_later_versions_refuse()
    {
        var primary = TraineeRequests.ValidV2025().With("course_age_range", "13914")
            .With("course_subject_one", "100346").With("course_subject_two", "101410").With("course_subject_three", "100366");

        var moved = await CreateTraineeAsync(primary, "v2025.0");
        var refused = await ErrorsAsync(await PostTraineeAsync(TraineeRequests.Valid().With("course_age_range", "13914").With("course_subject_1", "100346"), "v2026.0"));

        Assert.Equal(("100511", "100346", "101410"), (moved.Text("course_subject_one"), moved.Text("course_subject_two"), moved.Text("course_subject_three")));
        Assert.Equal(["course_subject_1 is invalid. It should be `100511` for the course_age_range provided"], refused);
    }

    [Theory]
    [InlineData("v2025.0", "02", true)]
    [InlineData("v2026.0", "02", false)]
    [InlineData("v2026.0", "16", false)]
    [InlineData("v2026.1", "16", true)]
    public async Task Each_version_has_its_routes(string version, string route, bool accepted)
    {
        var trainee = (version == "v2025.0" ? TraineeRequests.ValidV2025() : TraineeRequests.Valid()).With("training_route", route);

        var response = await PostTraineeAsync(trainee, version);

        if (accepted)
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        else
        {
            Assert.Contains(await ErrorsAsync(response), e => e.StartsWith("training_route has invalid reference data value of", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Only_v2026_1_lets_assessment_only_leave_out_study_mode_and_knows_iqts_country()
    {
        var v2026_0 = await ErrorsAsync(await PostTraineeAsync(TraineeRequests.Valid().Without("study_mode").With("iqts_country", "FR"), "v2026.0"));
        var v2026_1 = await PostTraineeAsync(TraineeRequests.Valid().With("training_route", "16").Without("study_mode"));

        Assert.Equal(["study_mode can't be blank"], v2026_0);
        Assert.Equal(HttpStatusCode.Created, v2026_1.StatusCode);
    }

    [Fact]
    public async Task The_end_date_window_applies_from_v2026_0()
    {
        var trainee = TraineeRequests.ValidV2025().With("itt_end_date", "2032-07-31");

        var v2025 = await PostTraineeAsync(trainee, "v2025.0");
        var v2026 = await ErrorsAsync(await PostTraineeAsync(TraineeRequests.Valid().With("itt_end_date", "2032-07-31"), "v2026.0"));

        Assert.Equal(HttpStatusCode.Created, v2025.StatusCode);
        Assert.Equal(["itt_end_date must be within the next 5 years"], v2026);
    }

    [Fact]
    public async Task V2025_0_enhanced_errors_stay_flat()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v2025.0/trainees")
        {
            Content = Data(TraineeRequests.ValidV2025().With("degrees_attributes", new[] { TraineeRequests.UkDegree().With("graduation_year", "abc") })
                .With("placements_attributes", new[] { new { urn = "123456" } })),
        };
        request.Headers.Add("Enhanced-Errors", "true");

        var response = await Srs.SendAsync(request);

        Assert.Equal("""{"message":"Validation failed: 2 errors prohibited this trainee from being saved","errors":{"placements_attributes":["name can't be blank"],"graduation_year":["is invalid"]}}""",
            await response.Content.ReadAsStringAsync());
    }
}
