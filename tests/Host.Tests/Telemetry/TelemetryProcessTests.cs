using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Mediator;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;
using Register.Access.Contracts;
using Register.Host.Tests.Instances;
using Register.TestKit;

namespace Register.Host.Tests.Telemetry;

/// <summary>
/// A real Register process (Kestrel, its public port and its management port), as an operator runs it: after a known
/// sequence of requests its Prometheus endpoint shows Register's instruments with exactly the counts the requests make;
/// the endpoint is on the management port only; a caller's <c>traceparent</c> is the trace of the request's log line; and
/// <c>Telemetry:Enabled=false</c> serves no metrics at all. A process of its own, so no other test's requests are counted.
/// </summary>
[Collection(TelemetryProcessCollection.Name)]
public sealed class TelemetryProcessTests
{
    private const string ProvidersClient = "Metrics providers client";
    private const string SrsClient = "Metrics SRS client";
    private const string TraineeApi = "trainees-v2026.1";

    [Fact]
    public async Task The_metrics_endpoint_counts_a_known_sequence_of_requests_on_the_management_port_only()
    {
        var connectionString = await TestDatabase.ConnectionStringAsync($"register_telemetry_{Guid.NewGuid():N}"[..28]);
        var (providersToken, srsToken, signInPath, email) = await SetupAsync(connectionString);
        var metricsPort = FreePort();
        await using var process = RegisterProcess.Start("telemetry", Settings(connectionString, enabled: true, metricsPort));
        await process.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        using var scraper = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}"), Timeout = TimeSpan.FromSeconds(10) };
        var before = await ScrapeAsync(scraper);

        // Three answered provider API calls, then the fourth over the token's limit of three: 429.
        using var providers = Client(process, providersToken);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await providers.GetAsync(new Uri("/api/v1/providers", UriKind.Relative))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await providers.GetAsync(new Uri("/api/v1/providers", UriKind.Relative))).StatusCode);

        // The SRS: a 404, a trainee created, and a CSV upload of two rows, validated and then submitted.
        using var srs = Client(process, srsToken);
        Assert.Equal(HttpStatusCode.NotFound, (await srs.GetAsync(new Uri("/api/v2026.1/trainees/no-such-trainee", UriKind.Relative))).StatusCode);
        var created = await srs.PostAsJsonAsync("/api/v2026.1/trainees", new { data = TraineeRequests.Valid(TraineeRequests.CurrentCycle) });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var csv = TraineeCsv.Make(Enumerable.Range(1, 2).Select(n => TraineeCsv.Row(n, TraineeRequests.CurrentCycle)), TraineeCsv.Columns);
        var uploaded = await srs.PostAsync(new Uri("/api/v2026.1/trainee-uploads?file_name=metrics.csv", UriKind.Relative), new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.Accepted, uploaded.StatusCode);
        var upload = (await uploaded.BodyAsync()).GetProperty("data").GetProperty("upload_id").GetString()!;
        var statusPolls = await WaitForUploadAsync(srs, upload, "validated");
        Assert.Equal(HttpStatusCode.Accepted, (await srs.PostAsync(new Uri($"/api/v2026.1/trainee-uploads/{upload}/submit", UriKind.Relative), null)).StatusCode);
        statusPolls += await WaitForUploadAsync(srs, upload, "succeeded");

        // Sign-ins: the one-time link (which sets a password), then a wrong password, then the right one.
        await SignInsAsync(process, signInPath, email);

        // A request carrying a caller's trace: its log line is in that trace.
        var traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using (var traced = new HttpRequestMessage(HttpMethod.Get, new Uri(process.BaseAddress, "/health/live")))
        {
            traced.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");
            using var plain = new HttpClient();
            Assert.Equal(HttpStatusCode.OK, (await plain.SendAsync(traced)).StatusCode);
        }

        // The gauges are sampled every second (Telemetry:SampleInterval): wait for a sample taken after the requests.
        PrometheusText after = before;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            after = await ScrapeAsync(scraper);
            if (after.Value("register_trs_requests_pending", ("kind", "trn")) == 3)
            {
                break;
            }

            await Task.Delay(200);
        }

        double Delta(string name, params (string, string)[] labels) => after.Value(name, labels) - before.Value(name, labels);

        Assert.Equal(3, Delta("register_api_requests_total", ("api", "providers-v1"), ("client", ProvidersClient), ("status", "200")));
        // The rate limiter refuses before the token is checked: a refused request has no client yet.
        Assert.Equal(1, Delta("register_api_requests_total", ("api", "providers-v1"), ("client", "anonymous"), ("status", "429")));
        Assert.Equal(0, Delta("register_api_requests_total", ("api", "providers-v1"), ("client", ProvidersClient), ("status", "429")));
        Assert.Equal(1, Delta("register_api_requests_total", ("api", TraineeApi), ("client", SrsClient), ("status", "404")));
        Assert.Equal(1, Delta("register_api_requests_total", ("api", TraineeApi), ("client", SrsClient), ("status", "201")));
        Assert.Equal(2, Delta("register_api_requests_total", ("api", TraineeApi), ("client", SrsClient), ("status", "202")));
        Assert.Equal(statusPolls, Delta("register_api_requests_total", ("api", TraineeApi), ("client", SrsClient), ("status", "200")));
        Assert.Equal(1, Delta("register_rate_limit_rejections_total", ("policy", "providers_api")));
        Assert.Equal(1, Delta("register_trainees_created_total", ("source", "api")));
        Assert.Equal(2, Delta("register_trainees_created_total", ("source", "csv")));
        Assert.Equal(0, Delta("register_trainees_created_total", ("source", "web")));
        Assert.Equal(1, Delta("register_uploads_total", ("outcome", "validated"), ("source", "csv")));
        Assert.Equal(1, Delta("register_uploads_total", ("outcome", "submitted"), ("source", "csv")));
        Assert.Equal(2, Delta("register_upload_rows_total", ("outcome", "validated"), ("source", "csv")));
        Assert.Equal(2, Delta("register_upload_rows_total", ("outcome", "submitted"), ("source", "csv")));
        Assert.Equal(1, Delta("register_sign_ins_total", ("method", "link"), ("outcome", "succeeded")));
        Assert.Equal(1, Delta("register_sign_ins_total", ("method", "password"), ("outcome", "refused")));
        Assert.Equal(1, Delta("register_sign_ins_total", ("method", "password"), ("outcome", "succeeded")));

        // The TRS worker is off here: the three trainees' TRN requests wait, the oldest since the API's trainee.
        Assert.Equal(3, after.Value("register_trs_requests_pending", ("kind", "trn")));
        Assert.Equal(0, after.Value("register_trs_requests_pending", ("kind", "award")));
        Assert.InRange(after.Value("register_trs_requests_oldest_age_seconds", ("kind", "trn")), 0.001, 600);
        foreach (var module in new[] { "access", "providers", "trainees", "partnerships", "email" })
        {
            Assert.True(after.Has("register_outbox_backlog", ("module", module)), $"no outbox backlog for {module}");
            Assert.True(after.Has("register_outbox_oldest_age_seconds", ("module", module)), $"no outbox age for {module}");
        }

        // The instrumentation's own: ASP.NET Core, Npgsql, the runtime.
        Assert.True(after.Names.Any(n => n.StartsWith("http_server_request_duration_seconds", StringComparison.Ordinal)), string.Join('\n', after.Names));
        Assert.True(after.Names.Any(n => n.StartsWith("db_client_", StringComparison.Ordinal)), string.Join('\n', after.Names));
        Assert.True(after.Names.Any(n => n.StartsWith("dotnet_", StringComparison.Ordinal)), string.Join('\n', after.Names));

        // Not on the public port; nothing else on the management port.
        using var anonymous = new HttpClient { BaseAddress = process.BaseAddress };
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await scraper.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode);

        // The traced request's log line carries the caller's trace id; no log line holds a token or the signed-in email.
        JsonElement line = default;
        deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline && (line = process.LogEvents.FirstOrDefault(e => Property(e, "RequestPath") == "/health/live" && Property(e, "@tr") == traceId)).ValueKind == JsonValueKind.Undefined)
        {
            await Task.Delay(100);
        }

        Assert.True(line.ValueKind == JsonValueKind.Object, "no request log line in the caller's trace:\n" + string.Join('\n', process.Lines.TakeLast(20)));
        Assert.Matches("^[0-9a-f]{16}$", Property(line, "@sp"));
        Assert.DoesNotContain(process.Lines, l => l.Contains(providersToken, StringComparison.Ordinal) || l.Contains(srsToken, StringComparison.Ordinal) || l.Contains(email, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Telemetry_disabled_serves_no_metrics_anywhere()
    {
        var connectionString = await TestDatabase.ConnectionStringAsync($"register_telemetry_off_{Guid.NewGuid():N}"[..28]);
        var metricsPort = FreePort();
        await using var process = RegisterProcess.Start("telemetry off", Settings(connectionString, enabled: false, metricsPort));
        await process.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));

        using var scraper = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}"), Timeout = TimeSpan.FromSeconds(5) };
        await Assert.ThrowsAsync<HttpRequestException>(() => scraper.GetAsync(new Uri("/metrics", UriKind.Relative)));
        using var anonymous = new HttpClient { BaseAddress = process.BaseAddress };
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode);
    }

    /// <summary>In process, with no background work: a provider, the two API clients, and a support user's one-time sign-in link.</summary>
    private static async Task<(string Providers, string Srs, string SignInPath, string Email)> SetupAsync(string connectionString)
    {
        await using var setup = new RegisterFactory(connectionString, new Dictionary<string, string?>
        {
            ["Jobs:Enabled"] = "false",
            ["Trs:BackgroundProcessing"] = "false",
            ["Uploads:BackgroundProcessing"] = "false",
        });
        var support = await setup.SupportAsync();
        var providerId = (await support.CreateAsync(ProviderRequests.Hei("1TM", "University of Metrics").With("ukprn", "10000019"))).Id();
        var providersToken = await setup.IssueTokenAsync("providers_api", null, ProvidersClient);
        var srsToken = await setup.IssueTokenAsync("trainees_api", providerId, SrsClient);
        await using var scope = setup.Services.CreateAsyncScope();
        var email = $"tess.{Guid.NewGuid():N}"[..20] + "@education.gov.uk";
        var added = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new AddUser("Tess", "Metrics", email, "support", false, null));
        return (providersToken, srsToken, added.SignInPath!, email);
    }

    private static IEnumerable<string> Settings(string connectionString, bool enabled, int metricsPort)
    {
        string[] settings =
        [
            $"--ConnectionStrings:Register={connectionString}",
            $"--Tokens:HashKey={RegisterFactory.TokenHashKey}",
            "--Serilog:MinimumLevel:Default=Warning",
            "--Serilog:MinimumLevel:Override:Serilog.AspNetCore.RequestLoggingMiddleware=Information",
            $"--Telemetry:Enabled={enabled}",
            $"--Telemetry:MetricsUrl=http://127.0.0.1:{metricsPort}",
            "--Telemetry:SampleInterval=00:00:01",
            "--Trs:BackgroundProcessing=false",
            "--Jobs:Enabled=false",
            "--Uploads:PollInterval=00:00:00.200",
            "--SignIn:PasswordIterations=1000",
            "--Web:SecureCookies=false",
            "--RateLimits:providers_api:TokenPermitLimit=3",
        ];
        var limits = new[] { "support", "trainees_api", "per_ip" }.SelectMany(audience => new[]
        {
            $"--RateLimits:{audience}:TokenPermitLimit=100000", $"--RateLimits:{audience}:AnonymousPermitLimit=100000",
        });
        return settings.Concat(limits);
    }

    /// <summary>Polls the upload until it has <paramref name="status"/>; returns how many polls (each a 200 the metrics count).</summary>
    private static async Task<int> WaitForUploadAsync(HttpClient srs, string upload, string status)
    {
        var polls = 0;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            polls++;
            var response = await srs.GetAsync(new Uri($"/api/v2026.1/trainee-uploads/{upload}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var data = (await response.BodyAsync()).GetProperty("data");
            if (data.GetProperty("status").GetString() == status)
            {
                return polls;
            }

            Assert.True(DateTime.UtcNow < deadline, $"upload not {status}: {data}");
            await Task.Delay(100);
        }
    }

    /// <summary>Sets the password through the link (signed in), then a wrong password and the right one at <c>/sign-in</c>.</summary>
    private static async Task SignInsAsync(RegisterProcess process, string signInPath, string email)
    {
        var linkSession = Browser(process);
        var linked = await linkSession.SubmitAsync(signInPath, new() { ["password"] = WebSession.Password, ["password_confirmation"] = WebSession.Password });
        Assert.Equal(HttpStatusCode.SeeOther, linked.StatusCode);
        var wrong = await Browser(process).SubmitAsync("/sign-in", new() { ["email"] = email, ["password"] = "not the password" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        var right = await Browser(process).SubmitAsync("/sign-in", new() { ["email"] = email, ["password"] = WebSession.Password });
        Assert.Equal(HttpStatusCode.SeeOther, right.StatusCode);
    }

    private static WebSession Browser(RegisterProcess process)
    {
        var jar = new CookieContainerHandler { InnerHandler = new HttpClientHandler { AllowAutoRedirect = false } };
        var client = new HttpClient(jar) { BaseAddress = process.BaseAddress };
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml");
        return new WebSession(client, jar.Container);
    }

    private static HttpClient Client(RegisterProcess process, string token)
    {
        var client = new HttpClient { BaseAddress = process.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<PrometheusText> ScrapeAsync(HttpClient scraper)
    {
        var response = await scraper.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }

    private static string? Property(JsonElement logEvent, string name) =>
        logEvent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Prometheus's text format, read as samples: a name, its labels and a value.</summary>
internal sealed class PrometheusText
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    public IEnumerable<string> Names => _samples.Select(s => s.Name).Distinct();

    /// <summary>The sum of the samples of <paramref name="name"/> that have these labels (and any others); 0 when none has.</summary>
    public double Value(string name, params (string Name, string Value)[] labels) =>
        Matching(name, labels).Sum(s => s.Value);

    public bool Has(string name, params (string Name, string Value)[] labels) => Matching(name, labels).Any();

    private IEnumerable<(string Name, Dictionary<string, string> Labels, double Value)> Matching(string name, (string Name, string Value)[] labels) =>
        _samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value));

    public static PrometheusText Parse(string text)
    {
        var parsed = new PrometheusText();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var labels = new Dictionary<string, string>();
            var i = 0;
            while (i < line.Length && line[i] != '{' && line[i] != ' ')
            {
                i++;
            }

            var name = line[..i];
            if (i < line.Length && line[i] == '{')
            {
                i++;
                while (line[i] != '}')
                {
                    var eq = line.IndexOf('=', i);
                    var key = line[i..eq];
                    i = eq + 2; // past ="
                    var value = new StringBuilder();
                    while (line[i] != '"')
                    {
                        if (line[i] == '\\')
                        {
                            i++;
                            value.Append(line[i] == 'n' ? '\n' : line[i]);
                        }
                        else
                        {
                            value.Append(line[i]);
                        }

                        i++;
                    }

                    labels[key] = value.ToString();
                    i++; // past "
                    if (line[i] == ',')
                    {
                        i++;
                    }
                }

                i++; // past }
            }

            var number = line[i..].Trim().Split(' ')[0];
            parsed._samples.Add((name, labels, number switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                _ => double.Parse(number, CultureInfo.InvariantCulture),
            }));
        }

        return parsed;
    }
}

/// <summary>Register processes want the machine's cores: this collection runs alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryProcessCollection
{
    public const string Name = "telemetry processes";
}
