using Register.Clients.Trainees;
using Register.TestKit;

namespace Register.Clients.Tests;

/// <summary>An SRS vendor's code, generated from <c>/openapi/trainees-v2026.1.json</c>: create, list, update and withdraw a trainee.</summary>
[Collection(ClientsCollection.Name)]
public sealed class TraineesClientTests(ClientsFixture fixture) : ApiTest<ClientsFixture>(fixture)
{
    [Fact]
    public async Task A_generated_client_creates_lists_updates_and_withdraws_a_trainee()
    {
        var support = await Api.SupportAsync();
        var provider = (await support.CreateAsync(ProviderRequests.Hei("1CL", "Client University").With("ukprn", "10000011"))).Id();
        var client = new TraineesClient(Api.Vendor(await Api.CreateTokenAsync(support, "trainees_api", provider, "Client SRS")));
        var cycle = TraineeRequests.CurrentCycle;
        var start = new DateTimeOffset(cycle, 9, 1, 0, 0, 0, TimeSpan.Zero);

        var created = await client.CreateTraineeAsync(new TraineeRequestBody
        {
            Data = new TraineeRequest
            {
                First_names = "Ada",
                Last_name = "Lovelace",
                Date_of_birth = new DateTimeOffset(1990, 1, 1, 0, 0, 0, TimeSpan.Zero),
                Sex = "11",
                Email = "ada.lovelace@example.com",
                Nationality = "GB",
                Training_route = TraineeRequestTraining_route._12,
                Itt_start_date = start,
                Itt_end_date = start.AddMonths(10),
                Course_subject_1 = "100403",
                Study_mode = "01",
                Itt_aim = "202",
                Itt_qualification_aim = "020",
                Course_year = "1",
                Course_age_range = "13918",
                Fund_code = "2",
                Funding_method = "6",
                Hesa_id = "0310261553101",
                Degrees_attributes = [new DegreeRequest { Grade = "02", Subject = "100425", Institution = "0116", Uk_degree = "083", Graduation_year = "2012" }],
            },
        });
        var traineeId = created.Data.Trainee_id;
        var listed = await client.ListTraineesAsync(null, null, null, null, null, 1, 25);
        var updated = await client.UpdateTraineeAsync(traineeId, new TraineeUpdateBody { Data = new TraineeUpdateRequest { First_names = "Augusta Ada" } });
        var withdrawn = await client.WithdrawTraineeAsync(traineeId, new WithdrawRequestBody
        {
            Data = new WithdrawRequest
            {
                Withdrawal_date = DateTimeOffset.UtcNow.Date.AddDays(-1),
                Trigger = WithdrawRequestTrigger.Trainee,
                Reasons = ["trainee_chose_to_withdraw_another_reason"],
                Future_interest = WithdrawRequestFuture_interest.Yes,
                Another_reason = "Moved abroad",
            },
        });

        Assert.Equal("Ada", created.Data.First_names);
        Assert.Equal("12", created.Data.Training_route);
        Assert.Single(created.Data.Degrees);
        Assert.Equal(traineeId, Assert.Single(listed.Data).Trainee_id);
        Assert.Equal(1, listed.Meta.Total_count);
        Assert.Equal("Augusta Ada", updated.Data.First_names);
        Assert.Equal("Lovelace", updated.Data.Last_name);
        Assert.Equal(TraineeResponseState.Withdrawn, withdrawn.Data.State);
        Assert.Equal(TraineeResponseWithdrawal_trigger.Trainee, withdrawn.Data.Withdrawal_trigger);

        var refused = await Assert.ThrowsAsync<ApiException<TraineeApiErrors>>(() => client.GetTraineeAsync("no-such-trainee"));
        Assert.Equal(404, refused.StatusCode);
        Assert.Equal("Trainee(s) not found", Assert.Single(refused.Result.Errors).Message);
    }
}
