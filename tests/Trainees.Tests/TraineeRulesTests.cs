using System.Net;
using System.Net.Http.Json;
using Register.TestKit;

namespace Register.Trainees.Tests;

/// <summary>The rules of a trainee record and their exact messages (spec §5, §6.4), on POST /trainees in v2026.1.</summary>
[Collection(TraineesCollection.Name)]
public sealed class TraineeRulesTests(TraineesFixture fixture) : TraineeApiTest(fixture)
{
    [Fact]
    public async Task An_empty_trainee_gets_the_references_seventeen_messages()
    {
        var response = await PostTraineeAsync(new { email = "Doe" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        await Snapshots.MatchJsonAsync(response);
    }

    [Fact]
    public async Task Enhanced_errors_group_the_messages_by_field_and_degrees_and_placements_by_list()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v2026.1/trainees")
        {
            Content = Data(TraineeRequests.Valid()
                .With("first_names", new string('a', 61))
                .With("degrees_attributes", new[] { new { graduation_year = "3000-01-01", uk_degree = "Bachelor of Arts", subject = "100425", grade = "02", institution = "0116" } })
                .With("placements_attributes", new[] { new { urn = "12345" } })),
        };
        request.Headers.Add("Enhanced-Errors", "true");

        var response = await Srs.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        await Snapshots.MatchJsonAsync(response);
    }

    [Theory]
    [InlineData("first_names", "", "first_names can't be blank")]
    [InlineData("last_name", null, "last_name can't be blank")]
    [InlineData("first_names", "61", "first_names is too long (maximum is 60 characters)")]
    [InlineData("middle_names", "61", "middle_names is too long (maximum is 60 characters)")]
    [InlineData("last_name", "61", "last_name is too long (maximum is 60 characters)")]
    [InlineData("provider_trainee_id", "51", "provider_trainee_id is too long (maximum is 50 characters)")]
    [InlineData("application_id", "12345678", "application_id is too long (maximum is 7 characters)")]
    [InlineData("hesa_id", "123456789012", "hesa_id must be 13 or 17 characters")]
    [InlineData("email", "not-an-email", "email Enter an email address in the correct format, like name@example.com")]
    [InlineData("email", "name@example.COM", "email Enter an email address in the correct format, like name@example.com")]
    [InlineData("email", "two..dots@example.com", "email Enter an email address in the correct format, like name@example.com")]
    [InlineData("email", null, "email can't be blank")]
    [InlineData("sex", "3", "sex has invalid reference data value of '3'. Valid values are '11', '10', '12', '99', '96'.")]
    [InlineData("sex", "Male", "sex has invalid reference data value of 'Male'. Valid values are '11', '10', '12', '99', '96'.")]
    [InlineData("ethnicity", "Irish", "ethnicity has invalid reference data value of 'Irish'. Example values include '180', '100', '101', '103', '104', '119', '120', '121', '139', '140'...")]
    [InlineData("nationality", "british", "nationality has invalid reference data value of 'british'. Example values include 'AF', 'AL', 'DZ', 'US', 'AD', 'AO', 'AI', 'AR', 'AM', 'AU'...")]
    [InlineData("course_subject_1", "chemistry", "course_subject_1 has invalid reference data value of 'chemistry'. Example values include '101117', '100343', '101038', '100358', '101060', '101192', '100346', '100078', '100079', '100417'...")]
    [InlineData("study_mode", "1", "study_mode has invalid reference data value of '1'. Valid values are '31', '64', '01', '02', '63'.")]
    [InlineData("study_mode", null, "study_mode can't be blank")]
    [InlineData("training_initiative", "now_teach", "training_initiative has invalid reference data value of 'now_teach'. Valid values are '009', '026', '025', '036', '011'.")]
    [InlineData("training_initiative", "025", "training_initiative 'transition_to_teach' is not available in academic cycle '2026 to 2027'")]
    [InlineData("additional_training_initiative", "036", "additional_training_initiative 'international_relocation_payment' is not available in academic cycle '2026 to 2027'")]
    [InlineData("itt_aim", "203", "itt_aim has invalid reference data value of '203'. Valid values are '201', '202'.")]
    [InlineData("itt_qualification_aim", null, "itt_qualification_aim must be entered if 202 selected for itt_aim")]
    [InlineData("fund_code", "3", "fund_code has invalid reference data value of '3'. Valid values are '2', '7'.")]
    [InlineData("funding_method", "8c629dd7-bfc3-eb11-bacc-000d3addca7a", "funding_method has invalid reference data value of '8c629dd7-bfc3-eb11-bacc-000d3addca7a'. Valid values are '4', '6', '7', '8', '9', 'B', 'C', 'D', 'E'.")]
    [InlineData("course_age_range", "99801", "course_age_range has invalid reference data value of '99801'. Example values include '13912', '13914', '13918', '13919', '13920', '13909', '13911', '13913', '13915', '13916'...")]
    [InlineData("course_age_range", null, "course_age_range can't be blank")]
    [InlineData("course_year", "first", "course_year is not a valid course year")]
    [InlineData("course_year", "1.5", "course_year is not a valid course year")]
    [InlineData("training_route", "99", "training_route has invalid reference data value of '99'. Example values include '03', '09', '10', '11', '12', '14', '15', '16', '17', '18'...")]
    [InlineData("training_route", "02", "training_route has invalid reference data value of 'school_direct_tuition_fee'. Example values include '03', '09', '10', '11', '12', '14', '15', '16', '17', '18'...")]
    [InlineData("iqts_country", "FR", "iqts_country must be blank")]
    [InlineData("course_subject_1", "100346", "course_subject_1 is invalid. It should be `100511` for the course_age_range provided", "course_age_range", "13914")]
    [InlineData("course_age_range", "13920", "course_age_range is invalid. It can only be used for early years training routes")]
    public async Task Each_rule_has_the_references_message(string field, string? value, string message, string? otherField = null, string? otherValue = null)
    {
        var trainee = TraineeRequests.Valid().With(field, value is "51" or "61" ? new string('a', int.Parse(value, System.Globalization.CultureInfo.InvariantCulture)) : value);
        if (otherField is not null)
        {
            trainee.With(otherField, otherValue);
        }

        var errors = await ErrorsAsync(await PostTraineeAsync(trainee));

        Assert.Contains(message, errors);
    }

    [Theory]
    [InlineData("itt_start_date", "2026-02-30", "itt_start_date is invalid")]
    [InlineData("itt_start_date", "01/09/2026", "itt_start_date is invalid")]
    [InlineData("itt_start_date", "2028-01-01", "itt_start_date must not be more than one year in the future")]
    [InlineData("itt_end_date", "2026-08-31", "itt_end_date must be after itt_start_date")]
    [InlineData("itt_end_date", "2032-01-01", "itt_end_date must be within the next 5 years")]
    [InlineData("itt_end_date", "not a date", "itt_end_date is invalid")]
    [InlineData("date_of_birth", "2027-01-01", "date_of_birth must be in the past")]
    [InlineData("date_of_birth", "2012-01-01", "date_of_birth cannot be less than 16 years ago")]
    [InlineData("date_of_birth", "1926-09-15", "date_of_birth is invalid")]
    [InlineData("date_of_birth", "1990-13-01", "date_of_birth is invalid")]
    [InlineData("trainee_start_date", "2026-10-01", "trainee_start_date must be in the past")]
    [InlineData("trainee_start_date", "2016-09-15", "trainee_start_date Cannot be more than 10 years in the past")]
    [InlineData("trainee_start_date", "nonsense", "trainee_start_date is invalid")]
    public async Task Dates_follow_the_references_rules(string field, string value, string message)
    {
        var errors = await ErrorsAsync(await PostTraineeAsync(TraineeRequests.Valid().With(field, value)));

        Assert.Contains(message, errors);
    }

    [Theory]
    [InlineData("2027-09-01", "2028-07-31")]
    [InlineData("20260901", "2027-07-31")]
    [InlineData("2026-09-01T00:00:00Z", "2027-07-31")]
    public async Task An_itt_start_next_year_and_other_iso_forms_are_accepted(string start, string end)
    {
        var response = await PostTraineeAsync(TraineeRequests.Valid().With("itt_start_date", start).With("itt_end_date", end));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_future_trainee_start_equal_to_the_itt_start_is_allowed_and_a_blank_one_is_the_itt_start()
    {
        var future = await CreateTraineeAsync(TraineeRequests.Valid().With("itt_start_date", "2026-10-01").With("trainee_start_date", "2026-10-01"));
        var blank = await CreateTraineeAsync(TraineeRequests.Valid().With("first_names", "Jane").With("email", "jane@example.com").With("trainee_start_date", ""));

        Assert.Equal("2026-10-01", future.Text("trainee_start_date"));
        Assert.Equal("2026-09-01", blank.Text("trainee_start_date"));
    }

    [Fact]
    public async Task An_invalid_itt_start_with_no_trainee_start_is_reported_for_both_and_skips_the_route_check()
    {
        var errors = await ErrorsAsync(await PostTraineeAsync(TraineeRequests.Valid().With("itt_start_date", "2026-02-30").With("training_route", "99")));

        Assert.Contains("itt_start_date is invalid", errors);
        Assert.Contains("trainee_start_date is invalid", errors);
        Assert.DoesNotContain(errors, e => e.StartsWith("training_route", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Course_subjects_may_not_repeat()
    {
        var errors = await ErrorsAsync(await PostTraineeAsync(TraineeRequests.Valid()
            .With("course_subject_2", "100403").With("course_subject_3", "100403")));

        Assert.Contains("course_subject_2 might contain duplicate values", errors);
        Assert.Contains("course_subject_3 might contain duplicate values", errors);
    }

    [Fact]
    public async Task Disabilities_may_not_repeat_and_unknown_ones_are_dropped()
    {
        var duplicate = await ErrorsAsync(await PostTraineeAsync(TraineeRequests.Valid().With("disability1", "58").With("disability2", "58")));
        var unknown = await CreateTraineeAsync(TraineeRequests.Valid().With("disability1", "58").With("disability2", "07").With("disability3", "95"));

        Assert.Equal(["disabilities contain duplicate values"], duplicate);
        Assert.Equal("58", unknown.Text("disability1"));
        Assert.Equal("95", unknown.Text("disability2"));
        Assert.False(unknown.TryGetProperty("disability3", out _));
        Assert.Equal("disabled", unknown.Text("disability_disclosure"));
    }

    [Fact]
    public async Task Read_only_fields_and_unknown_keys_are_ignored()
    {
        var trainee = await CreateTraineeAsync(TraineeRequests.Valid()
            .With("trn", "1234567").With("state", "awarded").With("ethnic_group", "white_ethnic_group").With("ukprn", "99999999").With("shoe_size", 11));

        Assert.Equal(System.Text.Json.JsonValueKind.Null, trainee.GetProperty("trn").ValueKind);
        Assert.Equal("submitted_for_trn", trainee.Text("state"));
        Assert.Equal("not_provided_ethnic_group", trainee.Text("ethnic_group"));
        Assert.Equal("10000001", trainee.Text("ukprn"));
        Assert.False(trainee.TryGetProperty("shoe_size", out _));
    }

    [Fact]
    public async Task A_postgraduate_route_needs_a_degree()
    {
        var errors = await ErrorsAsync(await PostTraineeAsync(TraineeRequests.Valid().Without("degrees_attributes")));
        var undergraduate = await PostTraineeAsync(TraineeRequests.Valid().Without("degrees_attributes").With("training_route", "11"));

        Assert.Equal(["degrees_attributes must be entered if specifying a postgraduate training_route"], errors);
        Assert.Equal(HttpStatusCode.Created, undergraduate.StatusCode);
    }

    [Fact]
    public async Task Provider_led_postgraduate_needs_a_start_from_2022()
    {
        var errors = await ErrorsAsync(await PostTraineeAsync(TraineeRequests.Valid()
            .With("itt_start_date", "2021-09-01").With("itt_end_date", "2022-07-31").With("trainee_start_date", "2021-09-01")));

        Assert.Contains(errors, e => e.StartsWith("training_route has invalid reference data value of 'provider_led_postgrad'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("15", "iqts_country can't be blank")]
    [InlineData("16", null)]
    [InlineData("17", "course_subject_1 is invalid. It should be `100510` for the training_route provided")]
    public async Task The_2026_1_routes_have_their_own_rules(string route, string? message)
    {
        var trainee = TraineeRequests.Valid().With("training_route", route).Without("study_mode");
        if (route == "17")
        {
            trainee.With("course_age_range", "13920");
        }

        var response = await PostTraineeAsync(trainee);

        if (message is null)
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Equal(route, (await response.BodyAsync()).GetProperty("data").Text("training_route"));
        }
        else
        {
            Assert.Contains(message, await ErrorsAsync(response));
        }
    }

    [Fact]
    public async Task Early_years_routes_need_13920_and_early_years_teaching()
    {
        var wrongRange = await ErrorsAsync(await PostTraineeAsync(TraineeRequests.Valid().With("training_route", "19").With("course_subject_1", "100510")));
        var right = await CreateTraineeAsync(TraineeRequests.Valid()
            .With("training_route", "19").With("course_subject_1", "100510").With("course_age_range", "13920").With("fund_code", "7").With("funding_method", "E"));

        Assert.Equal(["course_age_range is invalid. It should be `13920` for the training_route provided"], wrongRange);
        Assert.Equal("early_years", right.Text("course_education_phase"));
        Assert.Equal("EYTS", right.Text("course_qualification"));
        Assert.Equal(0, right.GetProperty("course_min_age").GetInt32());
    }

    [Fact]
    public async Task An_iqts_trainee_needs_a_known_country_and_has_no_funding_section()
    {
        var unknown = await ErrorsAsync(await PostTraineeAsync(TraineeRequests.Valid().With("training_route", "15").With("iqts_country", "QQ")));
        var iqts = await CreateTraineeAsync(TraineeRequests.Valid().With("training_route", "15").With("iqts_country", "AE"));

        Assert.Equal(["iqts_country has invalid reference data value of 'QQ'. Example values include 'AF', 'XQ', 'AX', 'AL', 'DZ', 'AS', 'AD', 'AO', 'AI', 'XX'..."], unknown);
        Assert.Equal("AE", iqts.Text("iqts_country"));
        Assert.Equal("15", iqts.Text("training_route"));
    }

    [Fact]
    public async Task A_primary_age_range_needs_primary_teaching_first()
    {
        var primary = await CreateTraineeAsync(TraineeRequests.Valid().With("course_age_range", "13914").With("course_subject_1", "100511").With("course_subject_2", "100403"));

        Assert.Equal("primary", primary.Text("course_education_phase"));
        Assert.Equal(5, primary.GetProperty("course_min_age").GetInt32());
        Assert.Equal(11, primary.GetProperty("course_max_age").GetInt32());
    }

    [Fact]
    public async Task Training_partners_are_matched_by_urn_or_ukprn_and_magic_urns_mean_none()
    {
        await Support.CreateAsync(ProviderRequests.School("3TP", "Partner School").With("urn", "660776").With("ukprn", "10000003"));
        await Support.CreateAsync(ProviderRequests.Hei("4TP", "Partner University").With("ukprn", "10000004"));

        var byUrn = await CreateTraineeAsync(TraineeRequests.Valid().With("training_partner_urn", "660776"));
        var byUkprn = await CreateTraineeAsync(TraineeRequests.Valid().With("first_names", "B").With("email", "b@example.com").With("training_partner_ukprn", "10000004"));
        var magic = await CreateTraineeAsync(TraineeRequests.Valid().With("first_names", "C").With("email", "c@example.com").With("training_partner_urn", "900020").With("training_partner_ukprn", "10000004"));
        var unknownUrn = await ErrorsAsync(await PostTraineeAsync(TraineeRequests.Valid().With("training_partner_urn", "123456")));
        var unknownUkprn = await ErrorsAsync(await PostTraineeAsync(TraineeRequests.Valid().With("training_partner_ukprn", "99999999")));

        Assert.Equal(("660776", "10000003"), (byUrn.Text("training_partner_urn"), byUrn.Text("training_partner_ukprn")));
        Assert.Equal("10000004", byUkprn.Text("training_partner_ukprn"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, magic.GetProperty("training_partner_ukprn").ValueKind);
        Assert.Equal(["training_partner_urn is invalid. The URN '123456' does not match any known training partners"], unknownUrn);
        Assert.Equal(["training_partner_ukprn is invalid. The UKPRN '99999999' does not match any known training partners"], unknownUkprn);
    }

    [Fact]
    public async Task Employing_schools_are_matched_by_urn()
    {
        await SchoolAsync("883876", "Employing School");

        var known = await CreateTraineeAsync(TraineeRequests.Valid().With("employing_school_urn", "883876"));
        var magic = await CreateTraineeAsync(TraineeRequests.Valid().With("first_names", "B").With("email", "b@example.com").With("employing_school_urn", "900030"));
        var unknown = await ErrorsAsync(await PostTraineeAsync(TraineeRequests.Valid().With("employing_school_urn", "123456")));

        Assert.Equal("883876", known.Text("employing_school_urn"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, magic.GetProperty("employing_school_urn").ValueKind);
        Assert.Equal(["employing_school_id is invalid. The URN '123456' does not match any known schools"], unknown);
    }

    [Fact]
    public async Task Ethnicity_defaults_to_not_provided_and_nationality_aliases_give_one_code()
    {
        var blank = await CreateTraineeAsync(TraineeRequests.Valid().With("nationality", "JE"));

        Assert.Equal("997", blank.Text("ethnicity"));
        Assert.Equal("Not provided", blank.Text("ethnic_background"));
        Assert.Equal("not_provided_ethnic_group", blank.Text("ethnic_group"));
        Assert.Equal("diversity_not_disclosed", blank.Text("diversity_disclosure"));
        Assert.Equal("disability_not_provided", blank.Text("disability_disclosure"));
        Assert.Equal("GB", blank.Text("nationality"));
    }

    [Fact]
    public async Task Degrees_sent_with_a_trainee_follow_the_degree_rules()
    {
        var invalid = await ErrorsAsync(await PostTraineeAsync(TraineeRequests.Valid().With("degrees_attributes", new object[]
        {
            new { graduation_year = "3000-01-01", uk_degree = "Bachelor of Arts", subject = "100425", grade = "02", institution = "0116" },
        })));
        var nonUk = await ErrorsAsync(await PostTraineeAsync(TraineeRequests.Valid().With("degrees_attributes", new[] { new { country = "MX" } })));
        var duplicates = await ErrorsAsync(await PostTraineeAsync(TraineeRequests.Valid().With("degrees_attributes", new[] { TraineeRequests.UkDegree(), TraineeRequests.UkDegree() })));

        Assert.Equal(
        [
            "graduation_year must be in the past, for example 2014", "graduation_year is invalid",
            "uk_degree has invalid reference data value of 'Bachelor of Arts'. Example values include '051', '052', '053', '054', '055', '056', '057', '058', '059', '060'...",
        ], invalid);
        Assert.Equal(
        [
            "graduation_year must be entered if specifying a previous UK degree or non-UK degree", "subject must be entered if specifying a previous UK degree or non-UK degree",
            "non_uk_degree must be entered if specifying a previous non-UK degree",
        ], nonUk);
        Assert.Equal(["degrees_attributes contains duplicate degrees"], duplicates);
    }

    [Theory]
    [InlineData("2003", 2003)]
    [InlineData("2003-06-30", 2003)]
    [InlineData(2003, 2003)]
    public async Task A_graduation_year_is_a_year_or_a_date(object year, int stored)
    {
        var trainee = await CreateTraineeAsync(TraineeRequests.Valid().With("degrees_attributes", new[] { TraineeRequests.UkDegree().With("graduation_year", year) }));

        Assert.Equal(stored, trainee.GetProperty("degrees")[0].GetProperty("graduation_year").GetInt32());
    }

    [Theory]
    [InlineData("200")]
    [InlineData("abc")]
    public async Task A_graduation_year_that_is_no_year_is_invalid(string year)
    {
        var errors = await ErrorsAsync(await PostTraineeAsync(TraineeRequests.Valid().With("degrees_attributes", new[] { TraineeRequests.UkDegree().With("graduation_year", year) })));

        Assert.Equal(["graduation_year is invalid"], errors);
    }

    [Fact]
    public async Task A_non_uk_degree_keeps_its_country_and_an_unknown_institution_is_other_uk()
    {
        var trainee = await CreateTraineeAsync(TraineeRequests.Valid().With("degrees_attributes", new[]
        {
            TraineeRequests.NonUkDegree(), TraineeRequests.UkDegree().With("institution", "9999").With("grade", "09").With("subject", "100346"),
        }));
        var degrees = trainee.GetProperty("degrees");

        Assert.Equal(("FR", "083"), (degrees[0].Text("country"), degrees[0].Text("non_uk_degree")));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, degrees[0].GetProperty("uk_degree").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, degrees[1].GetProperty("institution").ValueKind);
        Assert.Equal("5070f34a-2887-e711-80d8-005056ac45bb", degrees[1].Text("institution_uuid"));
        Assert.Equal("14", degrees[1].Text("grade"));
    }

    [Fact]
    public async Task Placements_sent_with_a_trainee_name_a_school_a_place_or_nothing()
    {
        await SchoolAsync("883876", "Oak Primary", "ls1 4ap");

        var trainee = await CreateTraineeAsync(TraineeRequests.Valid().With("placements_attributes", new object[]
        {
            new { urn = "883876" }, new { urn = "900000" }, new { urn = "123456", name = "Elm Academy", postcode = "dropped on create" },
        }));
        var nameless = await ErrorsAsync(await PostTraineeAsync(TraineeRequests.Valid().With("placements_attributes", new[] { new { urn = "123456" } })));
        var badUrn = await ErrorsAsync(await PostTraineeAsync(TraineeRequests.Valid().With("placements_attributes", new[] { new { urn = "12345", name = "Short" } })));

        var placements = trainee.GetProperty("placements");
        Assert.Equal(("Oak Primary", "LS1 4AP", "URN 883876, LS1 4AP"), (placements[0].Text("name"), placements[0].Text("postcode"), placements[0].Text("address")));
        Assert.Equal("Placement outside England and Wales", placements[1].Text("name"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, placements[1].GetProperty("address").ValueKind);
        Assert.Equal(("Elm Academy", "URN 123456"), (placements[2].Text("name"), placements[2].Text("address")));
        Assert.Equal(["placements_attributes name can't be blank"], nameless);
        Assert.Equal(["placements_attributes urn is invalid"], badUrn);
    }
}
