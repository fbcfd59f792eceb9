using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Register.TestKit;

namespace Register.Trainees.Tests;

/// <summary>/trainees/{id}/degrees (spec §4.3, §5.10): list, show, create, partial update, delete, duplicates.</summary>
[Collection(TraineesCollection.Name)]
public sealed class DegreesTests(TraineesFixture fixture) : TraineeApiTest(fixture)
{
    private async Task<(string Trainee, string Degree)> TraineeWithDegreeAsync()
    {
        var trainee = await CreateTraineeAsync();
        return (trainee.Text("trainee_id"), trainee.GetProperty("degrees")[0].Text("degree_id"));
    }

    [Fact]
    public async Task Degrees_are_listed_and_shown_and_an_undergraduate_has_none()
    {
        var (id, degree) = await TraineeWithDegreeAsync();
        var undergraduate = await CreateTraineeAsync(TraineeRequests.Valid().With("first_names", "U").With("email", "u@example.com").With("training_route", "11").Without("degrees_attributes"));

        var list = await Srs.GetAsync($"/api/v2026.1/trainees/{id}/degrees");
        var shown = await Srs.GetAsync($"/api/v2026.1/trainees/{id}/degrees/{degree}");
        var none = await Srs.GetAsync($"/api/v2026.1/trainees/{undergraduate.Text("trainee_id")}/degrees");
        var missing = await Srs.GetAsync($"/api/v2026.1/trainees/{id}/degrees/aaaaaaaaaaaaaaaaaaaaaaaa");

        Assert.Equal(degree, (await list.BodyAsync()).GetProperty("data")[0].Text("degree_id"));
        await Snapshots.MatchJsonAsync(shown, "data.degree_id", "data.created_at", "data.updated_at");
        Assert.Equal("""{"data":[]}""", await none.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("""{"errors":[{"error":"NotFound","message":"Degree(s) not found"}]}""", await missing.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_degree_is_added_with_201_and_moves_the_trainees_updated_at()
    {
        var (id, _) = await TraineeWithDegreeAsync();
        var before = await (await Srs.GetAsync($"/api/v2026.1/trainees/{id}")).BodyAsync();

        var response = await Srs.PostAsync($"/api/v2026.1/trainees/{id}/degrees", Data(TraineeRequests.NonUkDegree()));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var degree = (await response.BodyAsync()).GetProperty("data");
        Assert.Equal(("FR", "083", 2012), (degree.Text("country"), degree.Text("non_uk_degree"), degree.GetProperty("graduation_year").GetInt32()));
        var after = await (await Srs.GetAsync($"/api/v2026.1/trainees/{id}")).BodyAsync();
        Assert.Equal(2, after.GetProperty("degrees").GetArrayLength());
        Assert.True(string.CompareOrdinal(after.Text("updated_at"), before.Text("updated_at")) > 0);
    }

    [Fact]
    public async Task The_same_degree_twice_is_a_409_with_the_existing_one()
    {
        var (id, degree) = await TraineeWithDegreeAsync();

        var response = await Srs.PostAsync($"/api/v2026.1/trainees/{id}/degrees", Data(TraineeRequests.UkDegree().With("institution", "0001")));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var body = await response.BodyAsync();
        Assert.Equal("""[{"error":"Conflict","message":"This is a duplicate degree"}]""", body.GetProperty("errors").GetRawText());
        Assert.Equal(degree, body.GetProperty("data")[0].Text("degree_id"));
        Assert.Equal(1, (await (await Srs.GetAsync($"/api/v2026.1/trainees/{id}/degrees")).BodyAsync()).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task An_invalid_degree_is_422_with_each_message()
    {
        var (id, _) = await TraineeWithDegreeAsync();

        var uk = await Srs.PostAsync($"/api/v2026.1/trainees/{id}/degrees", Data(new
        {
            grade = "First",
            subject = "Practical Magic",
            graduation_year = "2028",
            uk_degree = "Bachelor of Arts",
            institution = "University of Oxford",
        }));
        var nonUk = await Srs.PostAsync($"/api/v2026.1/trainees/{id}/degrees", Data(new { non_uk_degree = "Bachelor of Arts", country = "France", subject = "100425", graduation_year = 2010 }));

        Assert.StartsWith("""{"errors":[{"error":"UnprocessableEntity","message":"graduation_year must be in the past, for example 2014"},""", await uk.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(
        [
            "graduation_year must be in the past, for example 2014", "graduation_year is invalid",
            "subject must be entered if specifying a previous UK degree or non-UK degree",
            "grade must be entered if specifying a previous UK degree or non-UK degree",
            "uk_degree has invalid reference data value of 'Bachelor of Arts'. Example values include '051', '052', '053', '054', '055', '056', '057', '058', '059', '060'...",
        ], await ErrorsAsync(uk));
        Assert.Equal(
        [
            "country has invalid reference data value of 'France'. Example values include 'AF', 'XQ', 'AX', 'AL', 'DZ', 'AS', 'AD', 'AO', 'AI', 'XX'...",
            "non_uk_degree has invalid reference data value of 'Bachelor of Arts'. Example values include '051', '052', '053', '054', '055', '056', '057', '058', '059', '060'...",
        ], await ErrorsAsync(nonUk));
    }

    [Fact]
    public async Task Put_and_patch_change_only_what_is_sent_and_a_type_decides_uk_or_not()
    {
        var (id, degree) = await TraineeWithDegreeAsync();
        var url = $"/api/v2026.1/trainees/{id}/degrees/{degree}";

        var year = (await (await Srs.PutAsync(url, Data(new { graduation_year = "2011" }))).BodyAsync()).GetProperty("data");
        var nonUk = (await (await Srs.PatchAsync(url, Data(new { non_uk_degree = "051", country = "DE" }))).BodyAsync()).GetProperty("data");
        var backToUk = (await (await Srs.PutAsync(url, Data(new { uk_degree = "083" }))).BodyAsync()).GetProperty("data");

        Assert.Equal((2011, "02", "100425"), (year.GetProperty("graduation_year").GetInt32(), year.Text("grade"), year.Text("subject")));
        Assert.Equal(("DE", "051", JsonValueKind.Null), (nonUk.Text("country"), nonUk.Text("non_uk_degree"), nonUk.GetProperty("uk_degree").ValueKind));
        Assert.Equal(("083", JsonValueKind.Null, JsonValueKind.Null), (backToUk.Text("uk_degree"), backToUk.GetProperty("country").ValueKind, backToUk.GetProperty("non_uk_degree").ValueKind));
    }

    [Fact]
    public async Task Changing_a_degree_into_another_of_the_trainees_is_a_409()
    {
        var (id, first) = await TraineeWithDegreeAsync();
        var second = (await (await Srs.PostAsync($"/api/v2026.1/trainees/{id}/degrees", Data(TraineeRequests.UkDegree().With("graduation_year", "2015")))).BodyAsync())
            .GetProperty("data").Text("degree_id");

        var response = await Srs.PutAsync($"/api/v2026.1/trainees/{id}/degrees/{second}", Data(new { graduation_year = "2012" }));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(first, (await response.BodyAsync()).GetProperty("data")[0].Text("degree_id"));
        var unchanged = await (await Srs.GetAsync($"/api/v2026.1/trainees/{id}/degrees/{second}")).BodyAsync();
        Assert.Equal(2015, unchanged.GetProperty("data").GetProperty("graduation_year").GetInt32());
    }

    [Fact]
    public async Task Deleting_a_degree_answers_the_trainee_without_it()
    {
        var (id, degree) = await TraineeWithDegreeAsync();

        var response = await Srs.DeleteAsync($"/api/v2026.1/trainees/{id}/degrees/{degree}");
        var again = await Srs.DeleteAsync($"/api/v2026.1/trainees/{id}/degrees/{degree}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var trainee = (await response.BodyAsync()).GetProperty("data");
        Assert.Equal(id, trainee.Text("trainee_id"));
        Assert.Equal(0, trainee.GetProperty("degrees").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }
}
