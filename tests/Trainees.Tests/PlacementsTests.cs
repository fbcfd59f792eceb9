using System.Net;
using System.Text.Json;
using Register.TestKit;

namespace Register.Trainees.Tests;

/// <summary>/trainees/{id}/placements (spec §4.4): a school by URN, or a named place; duplicates allowed.</summary>
[Collection(TraineesCollection.Name)]
public sealed class PlacementsTests(TraineesFixture fixture) : TraineeApiTest(fixture)
{
    [Fact]
    public async Task A_placement_at_a_known_school_shows_the_schools_name_and_postcode()
    {
        await SchoolAsync("883876", "Oak Primary", "LS1 4AP");
        var id = (await CreateTraineeAsync()).Text("trainee_id");

        var response = await Srs.PostAsync($"/api/v2026.1/trainees/{id}/placements", Data(new { urn = "883876" }));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await Snapshots.MatchJsonAsync(response, "data.placement_id", "data.created_at", "data.updated_at");
    }

    [Fact]
    public async Task A_placement_elsewhere_needs_a_name_and_a_valid_postcode()
    {
        var id = (await CreateTraineeAsync()).Text("trainee_id");

        var nameless = await Srs.PostAsync($"/api/v2026.1/trainees/{id}/placements", Data(new { urn = "123456" }));
        var badPostcode = await Srs.PostAsync($"/api/v2026.1/trainees/{id}/placements", Data(new { urn = "123456", name = "Elm Academy", postcode = "NOT A POSTCODE" }));
        var badUrn = await Srs.PostAsync($"/api/v2026.1/trainees/{id}/placements", Data(new { urn = "12A456", name = "Elm Academy" }));
        var placed = await Srs.PostAsync($"/api/v2026.1/trainees/{id}/placements", Data(new { urn = "123456", name = "Elm Academy", postcode = "bn1 1aa" }));

        Assert.Equal("""{"errors":[{"error":"UnprocessableEntity","message":"name can't be blank"}]}""", await nameless.Content.ReadAsStringAsync());
        Assert.Equal(["postcode Enter a valid postcode (for example, BN1 1AA)"], await ErrorsAsync(badPostcode));
        Assert.Equal(["urn is invalid"], await ErrorsAsync(badUrn));
        var placement = (await placed.BodyAsync()).GetProperty("data");
        Assert.Equal(("Elm Academy", "BN1 1AA", "URN 123456, BN1 1AA"), (placement.Text("name"), placement.Text("postcode"), placement.Text("address")));
    }

    [Fact]
    public async Task The_same_placement_twice_is_allowed_and_listed_oldest_first()
    {
        var id = (await CreateTraineeAsync()).Text("trainee_id");

        var first = await Srs.PostAsync($"/api/v2026.1/trainees/{id}/placements", Data(new { urn = "900020" }));
        var second = await Srs.PostAsync($"/api/v2026.1/trainees/{id}/placements", Data(new { urn = "900020" }));
        var list = (await (await Srs.GetAsync($"/api/v2026.1/trainees/{id}/placements")).BodyAsync()).GetProperty("data");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, second.StatusCode));
        Assert.Equal(2, list.GetArrayLength());
        Assert.Equal((await first.BodyAsync()).GetProperty("data").Text("placement_id"), list[0].Text("placement_id"));
        Assert.Equal("Establishment does not have a URN", list[0].Text("name"));
    }

    [Fact]
    public async Task A_placement_is_changed_partially_shown_and_deleted()
    {
        await SchoolAsync("883876", "Oak Primary", "LS1 4AP");
        var id = (await CreateTraineeAsync()).Text("trainee_id");
        var placement = (await (await Srs.PostAsync($"/api/v2026.1/trainees/{id}/placements", Data(new { urn = "123456", name = "Elm Academy" }))).BodyAsync())
            .GetProperty("data").Text("placement_id");
        var url = $"/api/v2026.1/trainees/{id}/placements/{placement}";

        var renamed = (await (await Srs.PatchAsync(url, Data(new { name = "Elm Academy Trust" }))).BodyAsync()).GetProperty("data");
        var atSchool = (await (await Srs.PutAsync(url, Data(new { urn = "883876" }))).BodyAsync()).GetProperty("data");
        var shown = (await (await Srs.GetAsync(url)).BodyAsync()).GetProperty("data");
        var deleted = await Srs.DeleteAsync(url);
        var gone = await Srs.GetAsync(url);

        Assert.Equal(("123456", "Elm Academy Trust"), (renamed.Text("urn"), renamed.Text("name")));
        Assert.Equal(("883876", "Oak Primary", "LS1 4AP"), (atSchool.Text("urn"), atSchool.Text("name"), atSchool.Text("postcode")));
        Assert.Equal(atSchool.GetRawText(), shown.GetRawText());
        Assert.Equal(0, (await deleted.BodyAsync()).GetProperty("data").GetProperty("placements").GetArrayLength());
        Assert.Equal("""{"errors":[{"error":"NotFound","message":"Placement(s) not found"}]}""", await gone.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_change_that_changes_nothing_writes_nothing()
    {
        var id = (await CreateTraineeAsync()).Text("trainee_id");
        await SchoolAsync("883876", "Oak Primary", "LS1 4AP");
        var placement = (await (await Srs.PostAsync($"/api/v2026.1/trainees/{id}/placements", Data(new { urn = "123456", name = "Elm Academy" }))).BodyAsync()).GetProperty("data");
        var atSchool = (await (await Srs.PostAsync($"/api/v2026.1/trainees/{id}/placements", Data(new { urn = "883876" }))).BodyAsync()).GetProperty("data");
        var before = await (await Srs.GetAsync($"/api/v2026.1/trainees/{id}")).BodyAsync();
        var activity = (await Support.ItemsAsync($"/support/providers/{ProviderId}/activity")).Count;

        var same = await Srs.PatchAsync($"/api/v2026.1/trainees/{id}/placements/{placement.Text("placement_id")}", Data(new { name = "Elm Academy" }));
        var sameSchool = await Srs.PutAsync($"/api/v2026.1/trainees/{id}/placements/{atSchool.Text("placement_id")}", Data(new { urn = "883876" }));

        Assert.Equal(System.Net.HttpStatusCode.OK, same.StatusCode);
        Assert.Equal(placement.GetRawText(), (await same.BodyAsync()).GetProperty("data").GetRawText());
        Assert.Equal(atSchool.GetRawText(), (await sameSchool.BodyAsync()).GetProperty("data").GetRawText());
        Assert.Equal(before.Text("updated_at"), (await (await Srs.GetAsync($"/api/v2026.1/trainees/{id}")).BodyAsync()).Text("updated_at"));
        Assert.Equal(activity, (await Support.ItemsAsync($"/support/providers/{ProviderId}/activity")).Count);
    }

    [Fact]
    public async Task A_school_renamed_later_shows_its_new_name()
    {
        await SchoolAsync("883876", "Oak Primary", "LS1 4AP");
        var id = (await CreateTraineeAsync()).Text("trainee_id");
        await Srs.PostAsync($"/api/v2026.1/trainees/{id}/placements", Data(new { urn = "883876" }));
        var schools = await Support.GetAsync("/support/schools");
        _ = schools;
        await using (var connection = new Npgsql.NpgsqlConnection(Api.ConnectionString))
        {
            var schoolId = await Dapper.SqlMapper.ExecuteScalarAsync<Guid>(connection, "SELECT id FROM partnerships.schools WHERE urn = '883876'");
            var patch = await Support.PatchAsync($"/support/schools/{schoolId}", System.Net.Http.Json.JsonContent.Create(new { name = "Oak Primary Academy" }));
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        }

        var placement = (await (await Srs.GetAsync($"/api/v2026.1/trainees/{id}/placements")).BodyAsync()).GetProperty("data")[0];

        Assert.Equal("Oak Primary Academy", placement.Text("name"));
        Assert.Equal(JsonValueKind.String, placement.GetProperty("address").ValueKind);
    }
}
