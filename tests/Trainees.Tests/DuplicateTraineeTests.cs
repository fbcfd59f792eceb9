using System.Net;
using System.Net.Http.Json;
using Dapper;
using Npgsql;
using Register.TestKit;

namespace Register.Trainees.Tests;

/// <summary>Duplicate trainees (spec §5.9): 409 with the matches, also when two identical requests race.</summary>
[Collection(TraineesCollection.Name)]
public sealed class DuplicateTraineeTests(TraineesFixture fixture) : TraineeApiTest(fixture)
{
    [Fact]
    public async Task The_same_person_on_the_same_route_in_the_same_cycle_is_a_409_with_the_match()
    {
        var first = await CreateTraineeAsync();

        var response = await PostTraineeAsync(TraineeRequests.Valid().With("last_name", "DOE").With("first_names", " john Paul").With("email", "other@example.com"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var body = await response.BodyAsync();
        Assert.Equal("""[{"error":"Conflict","message":"This trainee is already in Register"}]""", body.GetProperty("errors").GetRawText());
        Assert.Equal(first.Text("trainee_id"), body.GetProperty("data")[0].Text("trainee_id"));
        Assert.Equal(1, body.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task A_matching_email_is_enough_and_a_start_later_in_the_cycle_still_matches()
    {
        await CreateTraineeAsync();

        var response = await PostTraineeAsync(TraineeRequests.Valid().With("first_names", "Jonathan").With("email", " JOHN.DOE@example.com ")
            .With("itt_start_date", "2027-01-04").With("trainee_start_date", "2027-01-04"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Theory]
    [InlineData("training_route", "11")]
    [InlineData("date_of_birth", "1990-01-02")]
    [InlineData("itt_start_date", "2025-09-01")]
    public async Task Another_route_birthday_or_cycle_is_not_a_duplicate(string field, string value)
    {
        await CreateTraineeAsync();
        var other = TraineeRequests.Valid().With(field, value);
        if (field == "itt_start_date")
        {
            other.With("itt_end_date", "2026-07-31");
        }

        var response = await PostTraineeAsync(other);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_different_first_name_and_email_is_not_a_duplicate_and_another_providers_trainee_never_is()
    {
        await CreateTraineeAsync();
        var other = await OtherProviderAsync();

        var different = await PostTraineeAsync(TraineeRequests.Valid().With("first_names", "Jane").With("email", "jane@example.com"));
        var elsewhere = await other.PostAsync("/api/v2026.1/trainees", Data(TraineeRequests.Valid()));

        Assert.Equal(HttpStatusCode.Created, different.StatusCode);
        Assert.Equal(HttpStatusCode.Created, elsewhere.StatusCode);
    }

    [Fact]
    public async Task A_deleted_trainee_is_not_a_duplicate()
    {
        var first = await CreateTraineeAsync();
        await using (var connection = new NpgsqlConnection(Api.ConnectionString))
        {
            await connection.ExecuteAsync("UPDATE trainees.trainees SET discarded_at = now() WHERE slug = @slug", new { slug = first.Text("trainee_id") });
        }

        var response = await PostTraineeAsync(TraineeRequests.Valid());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Of_identical_requests_at_once_exactly_one_is_created()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PostTraineeAsync(TraineeRequests.Valid())));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var list = await (await Srs.GetAsync("/api/v2026.1/trainees")).BodyAsync();
        Assert.Equal(1, list.GetProperty("meta").GetProperty("total_count").GetInt32());
    }
}
