using System.Net;
using Register.TestKit;

namespace Register.Trainees.Tests;

/// <summary>The 2026 to 2027 funding rules (spec §5.6): the reference's scenarios, on a provider-led undergraduate maths trainee.</summary>
[Collection(TraineesCollection.Name)]
public sealed class FundingRulesTests(TraineesFixture fixture) : TraineeApiTest(fixture)
{
    private static Dictionary<string, object?> Undergraduate(string fundCode, string fundingMethod) =>
        TraineeRequests.Valid().With("training_route", "11").Without("degrees_attributes").With("fund_code", fundCode).With("funding_method", fundingMethod);

    [Theory]
    [InlineData("2", "6")]
    [InlineData("7", "B")]
    [InlineData("7", "7")]
    [InlineData("7", "8")]
    [InlineData("7", "9")]
    public async Task Funding_the_route_has_for_the_subject_is_allowed(string fundCode, string fundingMethod)
    {
        var response = await PostTraineeAsync(Undergraduate(fundCode, fundingMethod));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_postgraduate_bursary_is_allowed_with_an_eligible_fund_code()
    {
        var response = await PostTraineeAsync(TraineeRequests.Valid().With("fund_code", "7").With("funding_method", "D"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_bursary_needs_an_eligible_fund_code()
    {
        var errors = await ErrorsAsync(await PostTraineeAsync(Undergraduate("2", "D")));

        Assert.Equal(["funding_method 'bursary' is not allowed when fund_code is '2' and course_subject_1 is 'mathematics'"], errors);
    }

    [Fact]
    public async Task A_scholarship_the_subject_does_not_have_is_refused()
    {
        var errors = await ErrorsAsync(await PostTraineeAsync(TraineeRequests.Valid().With("course_subject_1", "100497").With("fund_code", "7").With("funding_method", "4")));

        Assert.Equal(["funding_method 'scholarship' is not allowed when training_route is 'provider_led_postgrad' and course_subject_1 is 'psychology' in academic cycle '2026 to 2027'"], errors);
    }

    [Fact]
    public async Task A_veterans_bursary_sets_the_veterans_initiative()
    {
        var trainee = await CreateTraineeAsync(Undergraduate("7", "C").With("training_initiative", "026"));

        Assert.Equal(System.Text.Json.JsonValueKind.Null, trainee.GetProperty("training_initiative").ValueKind);
        Assert.Equal("C", trainee.Text("funding_method"));
    }

    [Fact]
    public async Task A_physics_scholarship_and_a_physics_grant_on_the_salaried_route_are_allowed()
    {
        var scholarship = await PostTraineeAsync(TraineeRequests.Valid().With("course_subject_1", "100425").With("fund_code", "7").With("funding_method", "4"));
        var grant = await PostTraineeAsync(TraineeRequests.Valid().With("first_names", "Grant").With("email", "grant@example.com")
            .With("training_route", "03").With("course_subject_1", "100425").With("fund_code", "7").With("funding_method", "E"));

        Assert.Equal(HttpStatusCode.Created, scholarship.StatusCode);
        Assert.Equal(HttpStatusCode.Created, grant.StatusCode);
    }

    [Fact]
    public async Task Languages_and_physics_may_have_a_bursary_without_student_finance_in_2025_and_2026()
    {
        var physics = await PostTraineeAsync(TraineeRequests.Valid().With("course_subject_1", "100425").With("fund_code", "2").With("funding_method", "D"));
        var chemistry = await ErrorsAsync(await PostTraineeAsync(TraineeRequests.Valid().With("course_subject_1", "100417").With("fund_code", "2").With("funding_method", "D")));

        Assert.Equal(HttpStatusCode.Created, physics.StatusCode);
        Assert.Equal(["funding_method 'bursary' is not allowed when fund_code is '2' and course_subject_1 is 'chemistry'"], chemistry);
    }

    [Fact]
    public async Task An_eligible_fund_code_needs_a_route_with_funding()
    {
        var errors = await ErrorsAsync(await PostTraineeAsync(TraineeRequests.Valid().With("training_route", "21").With("fund_code", "7")));

        Assert.Equal(["fund_code is not valid for this trainee"], errors);
    }

    [Fact]
    public async Task The_2025_to_2026_table_applies_to_trainees_starting_then()
    {
        var englishBursary2025 = await PostTraineeAsync(TraineeRequests.Valid().With("course_subject_1", "100320").With("fund_code", "7").With("funding_method", "D")
            .With("itt_start_date", "2025-09-01").With("itt_end_date", "2026-07-31"));
        var englishBursary2026 = await ErrorsAsync(await PostTraineeAsync(TraineeRequests.Valid().With("course_subject_1", "100320").With("fund_code", "7").With("funding_method", "D")));

        Assert.Equal(HttpStatusCode.Created, englishBursary2025.StatusCode);
        Assert.Equal(["funding_method 'bursary' is not allowed when training_route is 'provider_led_postgrad' and course_subject_1 is 'English studies' in academic cycle '2026 to 2027'"], englishBursary2026);
    }
}
