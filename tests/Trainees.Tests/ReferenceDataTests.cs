using System.Net;
using Register.TestKit;

namespace Register.Trainees.Tests;

/// <summary>GET /reference-data (spec §8): no token, every HESA list and the withdrawal reasons, from v2026.1.</summary>
[Collection(TraineesCollection.Name)]
public sealed class ReferenceDataTests(TraineesFixture fixture) : TraineeApiTest(fixture)
{
    [Fact]
    public async Task Every_list_is_served_without_a_token()
    {
        var response = await Api.Anonymous().GetAsync("/api/v2026.1/reference-data");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.BodyAsync();
        Assert.Equal(
        [
            "country", "course_age_range", "course_subject", "degree_subject", "degree_grade", "degree_type", "disability", "ethnicity", "fund_code",
            "funding_method", "institution", "itt_aim", "nationality", "itt_qualification_aim", "sex", "study_mode", "training_route", "training_initiative",
            "withdrawal_reasons",
        ], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1094, body.GetProperty("degree_subject").GetProperty("entries").GetArrayLength());
        Assert.Equal(72, body.GetProperty("course_subject").GetProperty("entries").GetArrayLength());
        Assert.Equal(263, body.GetProperty("country").GetProperty("entries").GetArrayLength());
        Assert.Equal(20, body.GetProperty("withdrawal_reasons").GetProperty("entries").GetArrayLength());
    }

    [Theory]
    [InlineData("sex")]
    [InlineData("study_mode")]
    [InlineData("funding_method")]
    [InlineData("training_route")]
    [InlineData("withdrawal_reasons")]
    public async Task One_list_is_answered_unwrapped(string field)
    {
        var response = await Api.Anonymous().GetAsync($"/api/v2026.1/reference-data?field={field}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Snapshots.MatchJson(await response.Content.ReadAsStringAsync(), field);
    }

    [Fact]
    public async Task An_unknown_field_and_an_older_version_are_404()
    {
        var unknown = await Api.Anonymous().GetAsync("/api/v2026.1/reference-data?field=bogus");
        var older = await Api.Anonymous().GetAsync("/api/v2025.0/reference-data");

        Assert.Equal("""{"errors":[{"error":"NotFound","message":"Reference data field 'bogus' not found"}]}""", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, older.StatusCode);
        Assert.Equal("""{"errors":[{"error":"NotFound","message":"Reference data is not available for version 'v2025.0'"}]}""", await older.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Institutions_have_one_entry_a_code()
    {
        var entries = (await (await Api.Anonymous().GetAsync("/api/v2026.1/reference-data?field=institution")).BodyAsync()).GetProperty("entries");

        var codes = entries.EnumerateArray().Select(e => e.Text("code")).ToList();
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.Equal(codes.Order(StringComparer.Ordinal), codes);
    }
}
