using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace Register.Host.Tests.Lifecycle;

/// <summary>
/// The Host as a process against a PostgreSQL that goes away and comes back: an outage under load is answered 503 with
/// <c>Retry-After</c> in each API's envelope and logged once; a Host started before PostgreSQL waits for it; SIGTERM under
/// load lets the answers in flight finish, exits 0 and stops the project-local cluster. The figures go to the test output.
/// </summary>
[Collection(LifecycleCollection.Name)]
public sealed class HostLifecycleTests(LifecycleFixture fixture, ITestOutputHelper output)
{
    private const string OutageWarning = "The database is unavailable";

    [Fact]
    public async Task An_outage_under_load_is_answered_503_with_Retry_After_in_each_envelope_logged_once_and_ends_within_a_second()
    {
        await using var host = HostProcess.Serve($"--ConnectionStrings:Register={fixture.ConnectionString}");
        await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        var load = Load.Start(host.BaseAddress,
        [
            new Target("support", "/support/providers", fixture.SupportToken),
            new Target("lead_provider", "/api/v3/partnerships", fixture.LeadProviderToken),
        ], clients: 4, pause: TimeSpan.FromMilliseconds(20));

        await Task.Delay(TimeSpan.FromSeconds(1));
        var stoppedAt = load.Clock.Elapsed;
        await fixture.Cluster.StopNowAsync();
        var stopReturnedAt = load.Clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(4));
        await fixture.Cluster.StartAgainAsync();
        var upAt = load.Clock.Elapsed;
        var deadline = Stopwatch.StartNew();
        while (!load.Outcomes.Any(o => o.SentAt >= upAt && o.Status is >= 200 and < 300) && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(10);
        }

        await Task.Delay(TimeSpan.FromMilliseconds(500));
        await load.StopAsync();
        var outcomes = load.Outcomes;

        var firstSuccessAfter = outcomes.Where(o => o.SentAt >= upAt && o.Status is >= 200 and < 300).Select(o => o.At).DefaultIfEmpty(TimeSpan.MaxValue).Min();
        var recovery = firstSuccessAfter - upAt;
        var unavailable = outcomes.Where(o => o.Status == 503).ToList();
        var logLines = host.Output.Concat(host.Errors).ToList();
        var warnings = logLines.Where(l => l.Contains(OutageWarning, StringComparison.Ordinal)).ToList();
        var errors = logLines.Where(l => l.Contains("\"@l\":\"Error\"", StringComparison.Ordinal) || l.Contains("\"@l\":\"Fatal\"", StringComparison.Ordinal)).ToList();
        var stackTraces = logLines.Where(l => l.Contains("\"@x\":", StringComparison.Ordinal)).ToList();
        output.WriteLine($"Requests: {outcomes.Count} in {load.Clock.Elapsed.TotalSeconds:0.0} s by 4 clients; PostgreSQL stopped at {stoppedAt.TotalSeconds:0.00} s " +
                         $"(pg_ctl returned at {stopReturnedAt.TotalSeconds:0.00} s), up again at {upAt.TotalSeconds:0.00} s");
        output.WriteLine($"Answers by status: {string.Join(", ", outcomes.GroupBy(o => o.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no answer").OrderBy(g => g.Key).Select(g => $"{g.Key} × {g.Count()}"))}");
        output.WriteLine($"503s: {unavailable.Count} (support {unavailable.Count(o => o.Api == "support")}, lead provider {unavailable.Count(o => o.Api == "lead_provider")}); " +
                         $"first 2xx {recovery.TotalMilliseconds:0} ms after PostgreSQL was back");
        output.WriteLine($"Log: {warnings.Count} outage warning(s), {errors.Count} error line(s), {stackTraces.Count} line(s) with a stack trace, {logLines.Count} lines in all");
        foreach (var line in warnings.Concat(errors).Concat(logLines.Where(l => l.Contains("reachable again", StringComparison.Ordinal))))
        {
            output.WriteLine("  " + line);
        }

        Assert.All(outcomes, o => Assert.Null(o.Failure));
        Assert.DoesNotContain(outcomes, o => o.Status is >= 500 and not 503);
        Assert.NotEmpty(unavailable);
        Assert.Contains(unavailable, o => o.Api == "support");
        Assert.Contains(unavailable, o => o.Api == "lead_provider");
        foreach (var answer in unavailable)
        {
            Assert.Equal("5", answer.RetryAfter);
            var error = JsonDocument.Parse(answer.Body).RootElement.GetProperty("errors")[0];
            if (answer.Api == "support")
            {
                Assert.Equal("ServiceUnavailable", error.GetProperty("error").GetString());
                Assert.Contains("database", error.GetProperty("message").GetString(), StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal("Service unavailable", error.GetProperty("title").GetString());
                Assert.Contains("database", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }
        }

        // Everything sent well before the stop, or well after the return, was answered normally.
        Assert.All(outcomes.Where(o => o.At < stoppedAt || o.SentAt > firstSuccessAfter + TimeSpan.FromMilliseconds(200)), o => Assert.Equal(200, o.Status));
        Assert.True(recovery < TimeSpan.FromSeconds(1), $"The first 2xx came {recovery.TotalMilliseconds:0} ms after PostgreSQL was back.");
        Assert.Single(warnings);
        Assert.Contains("\"@l\":\"Warning\"", warnings[0], StringComparison.Ordinal);
        Assert.Empty(errors);
        Assert.Empty(stackTraces);
        Assert.Contains(logLines, l => l.Contains("reachable again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_Host_started_while_PostgreSQL_is_down_waits_for_it_serving_503s_and_is_ready_within_two_seconds_of_its_return()
    {
        await fixture.Cluster.StopNowAsync();
        await using var host = HostProcess.Serve($"--ConnectionStrings:Register={fixture.ConnectionString}");
        try
        {
            await host.WaitForOutputAsync(l => l.Contains("Waiting for PostgreSQL at", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            // Meanwhile it is live, not ready, and the APIs answer 503 with Retry-After.
            var waiting = await host.WaitUntilLiveAsync(TimeSpan.FromSeconds(60));
            using var client = new HttpClient { BaseAddress = host.BaseAddress };
            using var notReady = await client.GetAsync("/health/ready");
            using var api = await client.GetAsync("/support/providers");
            output.WriteLine($"Live {waiting.TotalMilliseconds:0} ms after it said it was waiting; /health/ready {(int)notReady.StatusCode}, /support/providers {(int)api.StatusCode} " +
                             $"(Retry-After {api.Headers.RetryAfter?.Delta?.TotalSeconds}): {await api.Content.ReadAsStringAsync()}");
            using var pageRequest = new HttpRequestMessage(HttpMethod.Get, "/providers");
            pageRequest.Headers.Accept.ParseAdd("text/html");
            using var page = await client.SendAsync(pageRequest);
            var pageHtml = await page.Content.ReadAsStringAsync();
            Assert.Equal(503, (int)page.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(5), page.Headers.RetryAfter?.Delta);
            Assert.Contains("Sorry, the service is unavailable", pageHtml, StringComparison.Ordinal);
            Assert.Equal(503, (int)notReady.StatusCode);
            Assert.Equal(503, (int)api.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(5), api.Headers.RetryAfter?.Delta);
            Assert.False(host.Process.HasExited, host.AllText);
        }
        finally
        {
            await fixture.Cluster.StartAgainAsync();
        }

        var ready = await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(20));
        output.WriteLine($"Ready {ready.TotalMilliseconds:0} ms after PostgreSQL was back (pg_ctl start returned).");
        foreach (var line in host.Output.Concat(host.Errors))
        {
            output.WriteLine("  " + line);
        }

        Assert.True(ready < TimeSpan.FromSeconds(2), $"Ready {ready.TotalMilliseconds:0} ms after PostgreSQL came back.");
    }

    [Fact]
    public async Task SIGTERM_under_load_lets_every_answer_finish_exits_0_and_stops_the_project_local_cluster()
    {
        var directory = Path.Combine(Path.GetTempPath(), "register-lifecycle", "sigterm-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var cluster = Path.Combine(directory, "pg");
        try
        {
            var token = await IssueSupportTokenAsync(cluster);
            await using var host = HostProcess.Serve($"--Database:EmbeddedDirectory={cluster}");
            await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
            var load = Load.Start(host.BaseAddress,
            [
                new Target("support", "/support/providers", token),
                new Target("support", "/support/activity", token),
                new Target("health", "/health/ready", null),
            ], clients: 6, pause: TimeSpan.FromMilliseconds(5));
            await Task.Delay(TimeSpan.FromSeconds(1));

            var signalledAt = load.Clock.Elapsed;
            host.Signal("TERM");
            var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(30));
            var exitedAt = load.Clock.Elapsed;
            await load.StopAsync();
            var outcomes = load.Outcomes;

            var answered = outcomes.Where(o => o.Failure is null).ToList();
            var inFlight = outcomes.Where(o => o.SentAt < signalledAt && o.At > signalledAt).ToList();
            var refused = outcomes.Where(o => o.Failure is not null && !o.CutMidAnswer).ToList();
            var cut = outcomes.Where(o => o.CutMidAnswer).ToList();
            var postmaster = File.Exists(Path.Combine(cluster, "data", "postmaster.pid"));
            output.WriteLine($"SIGTERM at {signalledAt.TotalSeconds:0.00} s; exit code {exitCode} after {(exitedAt - signalledAt).TotalMilliseconds:0} ms");
            output.WriteLine($"Requests: {outcomes.Count}; answered whole {answered.Count} (of them in flight at the signal: {inFlight.Count(o => o.Failure is null)}); " +
                             $"not answered (connection refused or closed before an answer, after the signal) {refused.Count}; cut mid-answer {cut.Count}");
            output.WriteLine($"Project-local cluster after exit: postmaster.pid {(postmaster ? "still there" : "gone")}");

            Assert.Equal(0, exitCode);
            Assert.Empty(cut);
            Assert.All(answered, o => Assert.True(o.Status is 200 or 503, $"{o.Api} answered {o.Status}"));
            Assert.All(answered.Where(o => o.Status == 200 && o.Api == "support"), o => JsonDocument.Parse(o.Body));
            Assert.All(refused, o => Assert.True(o.SentAt >= signalledAt - TimeSpan.FromMilliseconds(50), $"A request sent before the signal was not answered: {o.Failure}"));
            Assert.All(inFlight, o => Assert.Null(o.Failure));
            Assert.False(postmaster, "The project-local cluster is still running after the Host stopped.");
            Assert.DoesNotContain("Unhandled exception", host.AllText, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task The_demo_starts_without_its_SRS_token_when_other_clients_hold_the_provider_s_two_places()
    {
        // The other tests stop and start the cluster: connections pooled before then are gone.
        Npgsql.NpgsqlConnection.ClearAllPools();
        await fixture.Cluster.EnsureDatabaseAsync("register_demo");
        var connectionString = fixture.Cluster.ConnectionString("register_demo");
        await using (var register = new TestKit.RegisterFactory(connectionString))
        {
            var support = await register.SupportAsync();
            var provider = await TestKit.ProviderRequests.CreateAsync(support, TestKit.ProviderRequests.Scitt("5DM", "Demo Slots SCITT"));
            await register.IssueTokenAsync("trainees_api", TestKit.ProviderRequests.Id(provider), "Vendor One SRS");
            await register.IssueTokenAsync("trainees_api", TestKit.ProviderRequests.Id(provider), "Vendor Two SRS");
        }

        var empty = Directory.CreateTempSubdirectory("register-demo-").FullName;
        try
        {
            await using var host = HostProcess.Serve("--demo", "--demo-data", empty, $"--ConnectionStrings:Register={connectionString}");
            await host.WaitForOutputAsync(l => l.Contains("Register is running at", StringComparison.Ordinal), TimeSpan.FromSeconds(90));
            host.Signal("TERM");
            var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(30));
            var said = host.AllText;
            output.WriteLine(string.Join('\n', host.Output.Where(l => !l.StartsWith('{'))));

            Assert.Equal(0, exitCode);
            Assert.Contains("Demo Slots SCITT already has 2 live SRS (trainees_api) tokens ('Vendor One SRS', 'Vendor Two SRS')", said, StringComparison.Ordinal);
            Assert.Contains("no demo trainees token was issued", said, StringComparison.Ordinal);
            Assert.Contains("trainees_api:       (none issued: see above)", said, StringComparison.Ordinal);
            Assert.Matches(@"provider user: +demo\.provider@example\.ac\.uk +password [0-9a-f-]{19}  \(Demo Slots SCITT\)", said);
            Assert.Matches(@"Emails: +written to /\S+mailbox", said);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    /// <summary>A support token from the CLI verb, which starts the project-local cluster and stops it again when done.</summary>
    private async Task<string> IssueSupportTokenAsync(string cluster)
    {
        var (code, stdout, stderr) = await HostProcess.RunAsync(TimeSpan.FromSeconds(90), "create-support-token", "--name", "SIGTERM test", $"--Database:EmbeddedDirectory={cluster}");
        Assert.True(code == 0, $"create-support-token exited {code}: {stdout}\n{stderr}");
        Assert.False(File.Exists(Path.Combine(cluster, "data", "postmaster.pid")), "create-support-token left the cluster it started running.");
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last(l => l.StartsWith("rg_", StringComparison.Ordinal));
    }
}
