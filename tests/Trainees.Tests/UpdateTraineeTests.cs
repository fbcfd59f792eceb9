using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;
using Register.TestKit;

namespace Register.Trainees.Tests;

/// <summary>PUT and PATCH /trainees/{id} (spec §2.3): partial, every rule of a new trainee, the state lock of v2026.1.</summary>
[Collection(TraineesCollection.Name)]
public sealed class UpdateTraineeTests(TraineesFixture fixture) : TraineeApiTest(fixture)
{
    private Task<HttpResponseMessage> UpdateAsync(string id, object data, string method = "PUT", string version = "v2026.1") =>
        Srs.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/api/{version}/trainees/{id}") { Content = Data(data) });

    [Theory]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    public async Task Put_and_patch_change_only_the_fields_sent(string method)
    {
        var trainee = await CreateTraineeAsync(TraineeRequests.Valid().With("middle_names", "Ryan").With("disability1", "58"));

        var response = await UpdateAsync(trainee.Text("trainee_id"), new { first_names = "Jonathan", ethnicity = "166" }, method);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = (await response.BodyAsync()).GetProperty("data");
        Assert.Equal(("Jonathan", "166", "white_ethnic_group"), (updated.Text("first_names"), updated.Text("ethnicity"), updated.Text("ethnic_group")));
        Assert.Equal(("Ryan", "Doe", "58"), (updated.Text("middle_names"), updated.Text("last_name"), updated.Text("disability1")));
        Assert.True(string.CompareOrdinal(updated.Text("updated_at"), trainee.Text("updated_at")) > 0);
        Assert.Equal(trainee.Text("created_at"), updated.Text("created_at"));
    }

    [Fact]
    public async Task An_update_that_breaks_a_rule_changes_nothing()
    {
        var trainee = await CreateTraineeAsync();
        var id = trainee.Text("trainee_id");

        var response = await UpdateAsync(id, new { first_names = "Jonathan", sex = "3", itt_end_date = "2026-01-01" });

        Assert.Equal(
        [
            "itt_end_date must be after itt_start_date",
            "sex has invalid reference data value of '3'. Valid values are '11', '10', '12', '99', '96'.",
        ], await ErrorsAsync(response));
        var stored = await (await Srs.GetAsync($"/api/v2026.1/trainees/{id}")).BodyAsync();
        Assert.Equal("John", stored.Text("first_names"));
        Assert.Equal(trainee.Text("updated_at"), stored.Text("updated_at"));
    }

    [Fact]
    public async Task Enhanced_errors_apply_to_updates_too()
    {
        var trainee = await CreateTraineeAsync();
        var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v2026.1/trainees/{trainee.Text("trainee_id")}") { Content = Data(new { first_names = "" }) };
        request.Headers.Add("Enhanced-Errors", "true");

        var response = await Srs.SendAsync(request);

        Assert.Equal("""{"message":"Validation failed: 1 error prohibited this trainee from being saved","errors":{"first_names":["can't be blank"]}}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Null_leaves_a_field_an_empty_string_empties_it_and_subjects_can_be_cleared()
    {
        var trainee = await CreateTraineeAsync(TraineeRequests.Valid().With("middle_names", "Ryan").With("course_subject_2", "100425").With("course_subject_3", "100417"));

        var updated = (await (await UpdateAsync(trainee.Text("trainee_id"), new { middle_names = "", first_names = (string?)null, course_subject_2 = (string?)null, course_subject_3 = "" })).BodyAsync()).GetProperty("data");

        Assert.Equal(JsonValueKind.Null, updated.GetProperty("middle_names").ValueKind);
        Assert.Equal("John", updated.Text("first_names"));
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("course_subject_2").ValueKind);
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("course_subject_3").ValueKind);
    }

    [Fact]
    public async Task Disabilities_are_replaced_only_when_a_disability_is_sent_and_nationality_is_replaced()
    {
        var trainee = await CreateTraineeAsync(TraineeRequests.Valid().With("disability1", "58").With("disability2", "57"));
        var id = trainee.Text("trainee_id");

        var kept = (await (await UpdateAsync(id, new { nationality = "FR" })).BodyAsync()).GetProperty("data");
        var replaced = (await (await UpdateAsync(id, new { disability1 = "95" })).BodyAsync()).GetProperty("data");

        Assert.Equal(("58", "57", "FR"), (kept.Text("disability1"), kept.Text("disability2"), kept.Text("nationality")));
        Assert.Equal("95", replaced.Text("disability1"));
        Assert.False(replaced.TryGetProperty("disability2", out _));
        Assert.Equal("no_disability", replaced.Text("disability_disclosure"));
    }

    [Fact]
    public async Task The_training_partner_and_employing_school_change_only_when_their_key_is_sent()
    {
        await Support.CreateAsync(ProviderRequests.School("3TP", "Partner School").With("urn", "660776").With("ukprn", "10000003"));
        await SchoolAsync("883876", "Employing School");
        var trainee = await CreateTraineeAsync(TraineeRequests.Valid().With("training_partner_urn", "660776").With("employing_school_urn", "883876"));
        var id = trainee.Text("trainee_id");

        var untouched = (await (await UpdateAsync(id, new { first_names = "Jon" })).BodyAsync()).GetProperty("data");
        var unknown = await UpdateAsync(id, new { training_partner_urn = "123456" });
        var cleared = (await (await UpdateAsync(id, new { training_partner_urn = "900010", employing_school_urn = (string?)null })).BodyAsync()).GetProperty("data");

        Assert.Equal(("660776", "883876"), (untouched.Text("training_partner_urn"), untouched.Text("employing_school_urn")));
        Assert.Equal(["training_partner_urn is invalid. The URN '123456' does not match any known training partners"], await ErrorsAsync(unknown));
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("training_partner_urn").ValueKind);
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("employing_school_urn").ValueKind);
    }

    [Fact]
    public async Task Leaving_the_iqts_route_clears_its_country()
    {
        var trainee = await CreateTraineeAsync(TraineeRequests.Valid().With("training_route", "15").With("iqts_country", "AE"));

        var updated = (await (await UpdateAsync(trainee.Text("trainee_id"), new { training_route = "12" })).BodyAsync()).GetProperty("data");

        Assert.Equal(("12", JsonValueKind.Null), (updated.Text("training_route"), updated.GetProperty("iqts_country").ValueKind));
    }

    [Fact]
    public async Task Degrees_and_placements_in_an_update_are_ignored()
    {
        var trainee = await CreateTraineeAsync();

        var updated = (await (await UpdateAsync(trainee.Text("trainee_id"), new
        {
            last_name = "Smith",
            degrees_attributes = new[] { TraineeRequests.NonUkDegree() },
            placements_attributes = new[] { new { urn = "900020" } },
        })).BodyAsync()).GetProperty("data");

        Assert.Equal("Smith", updated.Text("last_name"));
        Assert.Equal(1, updated.GetProperty("degrees").GetArrayLength());
        Assert.Equal("083", updated.GetProperty("degrees")[0].Text("uk_degree"));
        Assert.Equal(0, updated.GetProperty("placements").GetArrayLength());
    }

    [Theory]
    [InlineData("recommended_for_award")]
    [InlineData("withdrawn")]
    [InlineData("awarded")]
    public async Task From_v2026_1_a_recommended_withdrawn_or_awarded_trainee_is_locked(string state)
    {
        var trainee = await CreateTraineeAsync(TraineeRequests.Valid().With("placements_attributes", new[] { new { urn = "900020" } }));
        var id = trainee.Text("trainee_id");
        await using (var connection = new NpgsqlConnection(Api.ConnectionString))
        {
            await connection.ExecuteAsync("UPDATE trainees.trainees SET state = @state WHERE slug = @id", new { state, id });
        }

        var degree = trainee.GetProperty("degrees")[0].Text("degree_id");
        var placement = trainee.GetProperty("placements")[0].Text("placement_id");
        var locked = new[]
        {
            await UpdateAsync(id, new { first_names = "Jon" }),
            await UpdateAsync(id, new { first_names = "Jon" }, "PATCH"),
            await Srs.PostAsync($"/api/v2026.1/trainees/{id}/degrees", Data(TraineeRequests.NonUkDegree())),
            await Srs.PutAsync($"/api/v2026.1/trainees/{id}/degrees/{degree}", Data(new { graduation_year = "2011" })),
            await Srs.DeleteAsync($"/api/v2026.1/trainees/{id}/degrees/{degree}"),
            await Srs.PostAsync($"/api/v2026.1/trainees/{id}/placements", Data(new { urn = "900010" })),
            await Srs.PutAsync($"/api/v2026.1/trainees/{id}/placements/{placement}", Data(new { urn = "900010" })),
            await Srs.DeleteAsync($"/api/v2026.1/trainees/{id}/placements/{placement}"),
        };
        var olderVersion = await UpdateAsync(id, new { first_names = "Jon" }, version: "v2026.0");

        foreach (var response in locked)
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Equal("""{"errors":[{"error":"StateTransitionError","message":"It’s not possible to perform this action while the trainee is in its current state"}]}""",
                await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(HttpStatusCode.OK, olderVersion.StatusCode);
    }

    [Fact]
    public async Task Bad_json_is_400_and_an_unknown_trainee_404()
    {
        var trainee = await CreateTraineeAsync();

        var bad = await Srs.PutAsync($"/api/v2026.1/trainees/{trainee.Text("trainee_id")}", new StringContent("{\"data\":", Encoding.UTF8, "application/json"));
        var unknown = await UpdateAsync("aaaaaaaaaaaaaaaaaaaaaaaa", new { first_names = "Jon" });

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task An_update_that_changes_nothing_does_not_move_updated_at()
    {
        var trainee = await CreateTraineeAsync();

        var same = (await (await UpdateAsync(trainee.Text("trainee_id"), new { first_names = "John" })).BodyAsync()).GetProperty("data");

        Assert.Equal(trainee.Text("updated_at"), same.Text("updated_at"));
    }
}
