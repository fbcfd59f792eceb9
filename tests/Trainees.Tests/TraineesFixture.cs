using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Register.TestKit;

namespace Register.Trainees.Tests;

/// <summary>
/// Register for the trainee API's tests, on a clock that starts on 15 September 2026 at 12:34:56 (as the reference's
/// specs freeze time) and moves a millisecond each time it is read, so every change has its own time. Tests move it on by
/// minutes or hours, never past that day: others assert dates of 15 September.
/// </summary>
public sealed class TraineesFixture : ApiFixture
{
    public static readonly DateTimeOffset Start = new(2026, 9, 15, 12, 34, 56, TimeSpan.Zero);

    public FakeTimeProvider Clock { get; } = new(Start) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };

    /// <summary>TRS answers, and uploads run, when a test lets them (<c>TrsWorker.ProcessDueAsync</c>, <c>UploadWorker.ProcessPendingAsync</c>).</summary>
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Trs:BackgroundProcessing"] = "false",
        ["Uploads:BackgroundProcessing"] = "false",
        // Emails go to a folder of the test run's own; the email worker runs when woken, not on a timer, so a test with a process of its own sends alone.
        ["Email:MailboxPath"] = Path.Combine(Path.GetTempPath(), $"register-trainees-mailbox-{Guid.NewGuid():N}"),
        ["Email:PollInterval"] = "1.00:00:00",
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);

    /// <summary>Another Register process on the same database, clock and settings (a restart), with any services of its own.</summary>
    public RegisterFactory NewProcess(Action<IServiceCollection>? services = null, IReadOnlyDictionary<string, string?>? settings = null) =>
        new(ConnectionString, settings is null ? Settings : Settings.Concat(settings).GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Last().Value), s =>
        {
            ConfigureServices(s);
            services?.Invoke(s);
        });
}

[CollectionDefinition(Name)]
public sealed class TraineesCollection : ICollectionFixture<TraineesFixture>
{
    public const string Name = "trainees";
}

/// <summary>
/// A trainee API test: a training provider (an HEI), a trainees_api token for it, and requests built from a valid trainee,
/// so each test states only what it is about.
/// </summary>
public abstract class TraineeApiTest(TraineesFixture fixture) : ApiTest<TraineesFixture>(fixture)
{
    protected HttpClient Support { get; private set; } = null!;

    protected Guid ProviderId { get; private set; }

    /// <summary>The provider's SRS: a client with its trainees_api token.</summary>
    protected HttpClient Srs { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Support = await Api.SupportAsync();
        ProviderId = (await Support.CreateAsync(ProviderRequests.Hei("1TP", "University of Trainees").With("ukprn", "10000001"))).Id();
        Srs = Api.WithToken(await Api.CreateTokenAsync(Support, "trainees_api", ProviderId, "Acme SRS"));
    }

    /// <summary>Another provider with its own token, for tenant isolation.</summary>
    protected async Task<HttpClient> OtherProviderAsync()
    {
        var other = await Support.CreateAsync(ProviderRequests.Hei("2OP", "Other University").With("ukprn", "10000002"));
        return Api.WithToken(await Api.CreateTokenAsync(Support, "trainees_api", other.Id(), "Other SRS"));
    }

    protected static JsonContent Data(object data) => JsonContent.Create(new { data });

    protected Task<HttpResponseMessage> PostTraineeAsync(object trainee, string version = "v2026.1") =>
        Srs.PostAsync($"/api/{version}/trainees", Data(trainee));

    protected async Task<JsonElement> CreateTraineeAsync(object? trainee = null, string version = "v2026.1")
    {
        var response = await PostTraineeAsync(trainee ?? TraineeRequests.Valid(), version);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.BodyAsync()).GetProperty("data");
    }

    /// <summary>The messages of a trainee 422 (<c>{"message":…,"errors":[…]}</c>).</summary>
    protected static async Task<List<string>> ErrorsAsync(HttpResponseMessage response)
    {
        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = await response.BodyAsync();
        return body.GetProperty("errors").EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetProperty("message").GetString()!).ToList();
    }

    /// <summary>A school (GIAS) Register knows, added through the support API.</summary>
    protected async Task SchoolAsync(string urn, string name, string? postcode = null)
    {
        var response = await Support.PostAsJsonAsync("/support/schools", new { urn, name, gias_status = "open", type_name = "Community school", postcode });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
