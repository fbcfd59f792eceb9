using System.Net;
using System.Text.Json;
using Register.TestKit;

namespace Register.Trainees.Tests;

[Collection(TraineesCollection.Name)]
public sealed class CreateTraineeTests(TraineesFixture fixture) : TraineeApiTest(fixture)
{
    [Fact]
    public async Task A_valid_trainee_is_created_and_submitted_for_a_trn()
    {
        var response = await PostTraineeAsync(TraineeRequests.Valid());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var trainee = (await response.BodyAsync()).GetProperty("data");
        Assert.Equal("submitted_for_trn", trainee.Text("state"));
        Assert.Equal(JsonValueKind.Null, trainee.GetProperty("trn").ValueKind);
        Assert.Equal("api", trainee.Text("record_source"));
        Assert.Matches("^[1-9A-HJ-NP-Za-km-z]{24}$", trainee.Text("trainee_id"));
    }

    [Fact]
    public async Task The_201_shows_the_trainee_as_stored_with_its_degrees_and_placements_as_a_read_shows_them()
    {
        // The answer is built from what was written (no read-back): it must be what a GET of the trainee shows.
        await SchoolAsync("883876", "Oak Primary", "LS1 4AP");
        var request = TraineeRequests.Valid();
        request["degrees_attributes"] = new[] { TraineeRequests.UkDegree(), TraineeRequests.NonUkDegree() };
        request["placements_attributes"] = new object[] { new { urn = "883876" }, new { urn = "123456", name = "Elm Academy" } };

        var response = await PostTraineeAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.BodyAsync()).GetProperty("data");
        var read = (await (await Srs.GetAsync($"/api/v2026.1/trainees/{created.Text("trainee_id")}")).BodyAsync()).GetProperty("data");
        Assert.Equal(read.GetRawText(), created.GetRawText());
        Assert.Equal(["Oak Primary", "Elm Academy"], created.GetProperty("placements").EnumerateArray().Select(p => p.Text("name")));
    }
}
