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
}
