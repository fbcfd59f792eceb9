using Microsoft.Extensions.DependencyInjection;
using Register.TestKit;
using Register.Trainees.Features.Trs;

namespace Register.Trainees.Tests;

/// <summary>
/// What Register relies on TRS to answer (spec §1.4–§1.8, §3.3, §3.4), passed by both adapters of the port: the simulator
/// (its state in the database) and the HTTP client talking to the fake TRS server over real HTTP.
/// </summary>
public abstract class TrsContractTests(TraineesFixture fixture) : ApiTest<TraineesFixture>(fixture)
{
    private protected abstract ITeachingRegulationService Trs { get; }

    private static RouteBody Route(string status) => new()
    {
        RouteToProfessionalStatusTypeId = TrsBodies.RouteTypeIds["provider_led_postgrad"],
        Status = status,
        HoldsFrom = status == TrsBodies.Holds ? new DateOnly(2026, 7, 1) : null,
        TrainingStartDate = new DateOnly(2025, 9, 1),
        TrainingEndDate = new DateOnly(2026, 7, 31),
        TrainingSubjectReferences = ["100403"],
        TrainingCountryReference = "GB",
        TrainingProviderUkprn = "10000001",
    };

    private static PersonalDataBody Person() => new()
    {
        FirstName = "Ada",
        MiddleName = null,
        LastName = "Lovelace",
        DateOfBirth = new DateOnly(2000, 1, 1),
        EmailAddress = "ada@example.com",
        Gender = "Female",
    };

    private static TrnRequestBody TrnRequest(string requestId) => new()
    {
        RequestId = requestId,
        Person = new TrnRequestPerson
        {
            FirstName = "Ada",
            MiddleName = null,
            LastName = "Lovelace",
            DateOfBirth = new DateOnly(2000, 1, 1),
            EmailAddresses = ["ada@example.com"],
            Gender = "Female",
        },
    };

    private async Task<string> TrnAsync()
    {
        var answer = await Trs.CreateTrnRequestAsync(TrnRequest(Guid.NewGuid().ToString()), CancellationToken.None);
        return answer.Value!.Trn!;
    }

    [Fact]
    public async Task A_trn_request_is_completed_with_a_seven_digit_trn_and_reads_the_same_later()
    {
        var requestId = Guid.NewGuid().ToString();

        var created = await Trs.CreateTrnRequestAsync(TrnRequest(requestId), CancellationToken.None);
        var read = await Trs.GetTrnRequestAsync(requestId, CancellationToken.None);

        Assert.Equal(200, created.Status);
        Assert.Equal((requestId, TrnRequestStatuses.Completed, false), (created.Value!.RequestId, created.Value.Status, created.Value.PotentialDuplicate));
        Assert.Matches("^[0-9]{7}$", created.Value.Trn);
        Assert.Equal((200, created.Value.Trn, TrnRequestStatuses.Completed), (read.Status, read.Value!.Trn, read.Value.Status));
    }

    [Fact]
    public async Task A_reused_request_id_is_a_conflict_10029()
    {
        var requestId = Guid.NewGuid().ToString();
        await Trs.CreateTrnRequestAsync(TrnRequest(requestId), CancellationToken.None);

        var again = await Trs.CreateTrnRequestAsync(TrnRequest(requestId), CancellationToken.None);

        Assert.Equal((409, 10029, false), (again.Status, again.ErrorCode, again.IsTransient));
        Assert.StartsWith("TRS answered 409, errorCode 10029 (", again.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_request_id_is_not_found_10031()
    {
        var answer = await Trs.GetTrnRequestAsync(Guid.NewGuid().ToString(), CancellationToken.None);

        Assert.Equal((404, 10031, false), (answer.Status, answer.ErrorCode, answer.IsTransient));
    }

    [Fact]
    public async Task Personal_data_goes_to_a_known_trn_and_an_unknown_one_is_not_found_10001()
    {
        var trn = await TrnAsync();

        var known = await Trs.SetPersonalDataAsync(trn, Person(), CancellationToken.None);
        var unknown = await Trs.SetPersonalDataAsync("0000001", Person(), CancellationToken.None);

        Assert.Equal((204, true), (known.Status, known.IsSuccess));
        Assert.Equal((404, 10001), (unknown.Status, unknown.ErrorCode));
    }

    [Fact]
    public async Task A_route_is_created_then_updated_and_once_it_holds_it_is_refused_10052()
    {
        var trn = await TrnAsync();
        var reference = "abcdefghijkmnopqrstuvwxy";

        var inTraining = await Trs.SetRouteAsync(trn, reference, Route(TrsBodies.InTraining), CancellationToken.None);
        var deferred = await Trs.SetRouteAsync(trn, reference, Route(TrsBodies.Deferred), CancellationToken.None);
        var holds = await Trs.SetRouteAsync(trn, reference, Route(TrsBodies.Holds), CancellationToken.None);
        var again = await Trs.SetRouteAsync(trn, reference, Route(TrsBodies.Holds), CancellationToken.None);
        var otherRoute = await Trs.SetRouteAsync(trn, "another-reference-of-24c", Route(TrsBodies.InTraining), CancellationToken.None);

        Assert.Equal([204, 204, 204], new[] { inTraining.Status, deferred.Status, holds.Status });
        Assert.Equal((400, 10052, false), (again.Status, again.ErrorCode, again.IsTransient));
        Assert.Equal(204, otherRoute.Status);
    }

    [Fact]
    public async Task A_route_of_an_unknown_trn_is_not_found_10001()
    {
        var answer = await Trs.SetRouteAsync("0000001", "abcdefghijkmnopqrstuvwxy", Route(TrsBodies.InTraining), CancellationToken.None);

        Assert.Equal((404, 10001, false), (answer.Status, answer.ErrorCode, answer.IsTransient));
    }

    [Fact]
    public async Task A_person_is_read_by_trn_and_an_unknown_one_is_not_found_10001()
    {
        var trn = await TrnAsync();

        var known = await Trs.GetPersonAsync(trn, CancellationToken.None);
        var unknown = await Trs.GetPersonAsync("0000001", CancellationToken.None);

        Assert.Equal((200, trn), (known.Status, known.Value.GetProperty("trn").GetString()));
        Assert.Equal((404, 10001), (unknown.Status, unknown.ErrorCode));
    }
}

[Collection(TraineesCollection.Name)]
public sealed class SimulatedTrsContractTests(TraineesFixture fixture) : TrsContractTests(fixture)
{
    private protected override ITeachingRegulationService Trs => Api.Factory.Services.GetRequiredService<ITeachingRegulationService>() is SimulatedTeachingRegulationService simulator
        ? simulator
        : throw new InvalidOperationException("Without Trs:BaseUrl, Register uses the simulator");
}

[Collection(TraineesCollection.Name)]
public sealed class HttpTrsContractTests(TraineesFixture fixture) : TrsContractTests(fixture)
{
    private FakeTrs _server = null!;
    private RegisterFactory _process = null!;

    private protected override ITeachingRegulationService Trs => _process.Services.GetRequiredService<ITeachingRegulationService>() is TrsHttpClient client
        ? client
        : throw new InvalidOperationException("With Trs:BaseUrl, Register uses the HTTP client");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _server = await FakeTrs.StartAsync();
        _process = Api.NewProcess(settings: _server.Settings);
    }

    public override async Task DisposeAsync()
    {
        await _process.DisposeAsync();
        await _server.DisposeAsync();
        await base.DisposeAsync();
    }
}
