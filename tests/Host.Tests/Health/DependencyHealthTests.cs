using System.Net;
using System.Net.Sockets;
using Register.TestKit;

namespace Register.Host.Tests.Health;

/// <summary>
/// <c>/health/dependencies</c>: TRS (the simulator, or TRS over HTTP reachable or not) and the email sender (Notify
/// configured, or the mailbox folder writable), always 200; a dependency that is down never fails <c>/health/ready</c>.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class DependencyHealthTests(HostFixture fixture) : ApiTest<HostFixture>(fixture)
{
    [Fact]
    public async Task By_default_trs_is_the_simulator_and_emails_go_to_a_writable_mailbox()
    {
        var response = await Api.Anonymous().GetAsync("/health/dependencies");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            """{"status":"healthy","checks":{"email":{"status":"healthy","description":"mailbox folder writable","data":{"sender":"mailbox"}},"trs":{"status":"healthy","description":"simulator","data":{"client":"simulator"}}}}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Trs_down_and_an_unwritable_mailbox_are_reported_and_ready_stays_200()
    {
        var blocked = Path.Combine(Path.GetTempPath(), $"register-not-a-folder-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(blocked, "a file where the mailbox folder should be");
        await using var register = new RegisterFactory(Api.ConnectionString, new Dictionary<string, string?>
        {
            ["Trs:BaseUrl"] = $"http://127.0.0.1:{ClosedPort()}",
            ["Trs:ApiKey"] = "some-key",
            ["Trs:HealthProbeTimeout"] = "00:00:01",
            ["Trs:BackgroundProcessing"] = "false",
            ["Email:MailboxPath"] = blocked,
        });
        var client = register.CreateClient();

        var dependencies = await client.GetAsync("/health/dependencies");
        var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, dependencies.StatusCode);
        var body = await dependencies.BodyAsync();
        Assert.Equal("degraded", body.Text("status"));
        var trs = body.GetProperty("checks").GetProperty("trs");
        Assert.Equal(("degraded", "unreachable (ConnectionError)", "http", "closed"),
            (trs.Text("status"), trs.Text("description"), trs.GetProperty("data").Text("client"), trs.GetProperty("data").Text("circuit")));
        Assert.Equal(("degraded", "mailbox folder not writable (IOException)"), (body.GetProperty("checks").GetProperty("email").Text("status"), body.GetProperty("checks").GetProperty("email").Text("description")));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("healthy", (await ready.BodyAsync()).Text("status"));
        File.Delete(blocked);
    }

    [Fact]
    public async Task Trs_over_http_is_reachable_and_a_refused_key_is_told_apart()
    {
        await using var trs = await FakeTrs.StartAsync();
        await using var register = new RegisterFactory(Api.ConnectionString, trs.Settings.Append(new("Trs:BackgroundProcessing", "false")).ToDictionary());
        await using var wrongKey = new RegisterFactory(Api.ConnectionString, trs.Settings.Append(new("Trs:BackgroundProcessing", "false"))
            .Where(s => s.Key != "Trs:ApiKey").Append(new("Trs:ApiKey", "not-the-key")).ToDictionary());

        var reachable = await (await register.CreateClient().GetAsync("/health/dependencies")).BodyAsync();
        var refused = await (await wrongKey.CreateClient().GetAsync("/health/dependencies")).BodyAsync();

        Assert.Equal(("healthy", "reachable"), (reachable.GetProperty("checks").GetProperty("trs").Text("status"), reachable.GetProperty("checks").GetProperty("trs").Text("description")));
        Assert.Equal(("degraded", "reachable, but TRS refused the API key (401)"),
            (refused.GetProperty("checks").GetProperty("trs").Text("status"), refused.GetProperty("checks").GetProperty("trs").Text("description")));
        var probe = trs.Requests.First();
        Assert.Equal(("GET", "/v3/trn-requests", "20250627", $"Bearer {FakeTrs.ApiKey}"), (probe.Method, probe.Path, probe.Header("X-Api-Version"), probe.Header("Authorization")));
    }

    [Fact]
    public async Task Notify_configured_is_reported_without_calling_it()
    {
        await using var register = new RegisterFactory(Api.ConnectionString, new Dictionary<string, string?>
        {
            ["Email:NotifyApiKey"] = $"register_test-{Guid.NewGuid()}-{Guid.NewGuid()}",
            ["Email:NotifyTemplateId"] = Guid.NewGuid().ToString(),
            ["Email:NotifyBaseUrl"] = $"http://127.0.0.1:{ClosedPort()}",
        });

        var body = await (await register.CreateClient().GetAsync("/health/dependencies")).BodyAsync();

        Assert.Equal(("healthy", "GOV.UK Notify configured"), (body.GetProperty("checks").GetProperty("email").Text("status"), body.GetProperty("checks").GetProperty("email").Text("description")));
    }

    /// <summary>A port nothing listens on: taken from the system, then let go.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
