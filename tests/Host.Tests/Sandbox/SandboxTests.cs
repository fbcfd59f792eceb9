using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Register.Access.Contracts;
using Register.TestKit;

namespace Register.Host.Tests.Sandbox;

/// <summary>A Register in sandbox mode on a database of its own, which the tests reset as the <c>sandbox-reset</c> verb does.</summary>
public class SandboxFixture : IAsyncLifetime
{
    public RegisterFactory Factory { get; private set; } = null!;

    /// <summary>The database, one a fixture type: a reset empties it.</summary>
    protected virtual string DatabaseName => "register_sandbox";

    public async Task InitializeAsync()
    {
        Factory = new RegisterFactory(await TestDatabase.ConnectionStringAsync(DatabaseName), new Dictionary<string, string?>
        {
            ["Sandbox:Enabled"] = "true",
            ["Outbox:BackgroundDispatch"] = "true",
        });
        Factory.CreateClient().Dispose();
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

/// <summary>
/// The sandbox (ADR 19): sample providers of each kind, trainees in every state, sandbox tokens that work, a reset that
/// restores the samples and removes what vendors made, a quick TRS, and the refusal to seed a database with real records.
/// </summary>
public sealed class SandboxTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private static readonly string[] States = ["submitted_for_trn", "trn_received", "deferred", "withdrawn", "recommended_for_award", "awarded"];

    [Fact]
    public async Task A_reset_loads_providers_of_each_kind_trainees_in_every_state_and_sandbox_tokens_that_work()
    {
        var report = await ResetAsync("Acme SRS");
        var tokens = report.Tokens.ToDictionary(t => t.Audience, t => t.Issued);

        Assert.Equal(["support", "providers_api", "lead_provider_api", "trainees_api"], report.Tokens.Select(t => t.Audience));
        Assert.All(tokens.Values, t => Assert.Matches("^sandbox_rg_[A-Za-z0-9_-]{43}$", t.Token));
        Assert.Equal("Acme SRS (Sandbox University)", tokens["trainees_api"].Name);

        var providers = await ListAsync(sandbox.Factory.WithToken(tokens["providers_api"].Token), "/api/v1/providers?per_page=200");
        var kinds = providers.Select(p => (p.Text("operating_name"), p.Text("provider_type"), p.Text("accreditation_status"))).ToList();
        Assert.Contains(("Sandbox University", "hei", "accredited"), kinds);
        Assert.Contains(("Sandbox SCITT", "scitt", "accredited"), kinds);
        Assert.Contains(("Sandbox Primary School", "school", "unaccredited"), kinds);
        Assert.Contains(("Sandbox Teaching Trust", "other", "unaccredited"), kinds);

        var partnerships = await ListAsync(sandbox.Factory.WithToken(tokens["lead_provider_api"].Token), "/api/v3/partnerships");
        Assert.NotEmpty(partnerships);

        var support = sandbox.Factory.WithToken(tokens["support"].Token);
        Assert.Equal(HttpStatusCode.OK, (await support.GetAsync("/support/providers")).StatusCode);

        var trainees = await ListAsync(sandbox.Factory.WithToken(tokens["trainees_api"].Token), "/api/v2026.1/trainees?per_page=100");
        Assert.All(States, state => Assert.Contains(trainees, t => t.Text("state") == state));
        Assert.Equal(report.Trainees.Select(t => t.TraineeId).Order(), trainees.Select(t => t.Text("trainee_id")).Order());
        Assert.All(trainees.Where(t => t.Text("state") != "submitted_for_trn"), t => Assert.Matches("^[0-9]{7}$", t.Text("trn")));
        Assert.Contains(trainees, t => t.Text("training_partner_urn") == "199003");
    }

    [Fact]
    public async Task A_reset_removes_what_vendors_made_brings_the_samples_back_keeps_the_people_and_stops_the_old_tokens()
    {
        var first = await ResetAsync(null);
        var srsToken = first.Tokens.Single(t => t.Audience == "trainees_api").Issued.Token;
        var srs = sandbox.Factory.WithToken(srsToken);
        var created = await srs.PostAsJsonAsync("/api/v2026.1/trainees", new { data = TraineeRequests.Valid(TraineeRequests.CurrentCycle) });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var vendorsTrainee = (await created.BodyAsync()).GetProperty("data").Text("trainee_id");
        var sample = first.Trainees.First(t => t.State == "trn_received");
        var deferred = await srs.PostAsJsonAsync($"/api/v2026.1/trainees/{sample.TraineeId}/defer", new { data = new { defer_date = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) } });
        Assert.Equal(HttpStatusCode.OK, deferred.StatusCode);
        await SendAsync(new AddUser("Sam", "Sandbox", "sam.sandbox@education.gov.uk", "support", false));

        var second = await ResetAsync(null);

        Assert.Equal(HttpStatusCode.Unauthorized, (await srs.GetAsync("/api/v2026.1/trainees")).StatusCode);
        var trainees = await ListAsync(sandbox.Factory.WithToken(second.Tokens.Single(t => t.Audience == "trainees_api").Issued.Token), "/api/v2026.1/trainees?per_page=100");
        Assert.DoesNotContain(trainees, t => t.Text("trainee_id") == vendorsTrainee);
        Assert.DoesNotContain(trainees, t => t.Text("last_name") == "Doe");
        Assert.Equal(first.Trainees.Select(t => (t.Name, t.State)).Order(), trainees.Select(t => ($"{t.Text("first_names")} {t.Text("last_name")}", t.Text("state"))).Order());
        var users = await sandbox.Factory.WithToken(second.Tokens.Single(t => t.Audience == "support").Issued.Token).GetAsync("/support/users");
        Assert.Contains("sam.sandbox@education.gov.uk", await users.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_the_sandbox_a_vendor_s_new_trainee_gets_its_TRN_within_seconds()
    {
        var report = await ResetAsync(null);
        var srs = sandbox.Factory.WithToken(report.Tokens.Single(t => t.Audience == "trainees_api").Issued.Token);
        var created = await srs.PostAsJsonAsync("/api/v2026.1/trainees", new { data = TraineeRequests.Valid(TraineeRequests.CurrentCycle) });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.BodyAsync()).GetProperty("data").Text("trainee_id");

        var waited = Stopwatch.StartNew();
        JsonElement trainee;
        do
        {
            await Task.Delay(250);
            trainee = await (await srs.GetAsync($"/api/v2026.1/trainees/{id}")).BodyAsync();
        }
        while (trainee.Text("state") != "trn_received" && waited.Elapsed < TimeSpan.FromSeconds(20));

        Assert.Equal("trn_received", trainee.Text("state"));
        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), $"The TRN took {waited.Elapsed.TotalSeconds:0.0} s.");
    }

    [Fact]
    public async Task A_reset_refuses_a_database_that_holds_records_but_was_never_seeded_as_a_sandbox_and_changes_nothing()
    {
        await using var live = new RegisterFactory(await TestDatabase.ConnectionStringAsync("register_sandbox_live"), new Dictionary<string, string?> { ["Sandbox:Enabled"] = "true" });
        var support = await live.SupportAsync($"Live support {Guid.NewGuid():N}");
        var provider = await support.CreateAsync(ProviderRequests.Hei());

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Host.Sandbox.ResetAsync(live.Services, null, CancellationToken.None));

        Assert.Contains("refuses this database: it holds records", refused.Message, StringComparison.Ordinal);
        Assert.Contains("not a sandbox database", refused.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await support.GetAsync($"/support/providers/{provider.Id()}")).StatusCode);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Host.Sandbox.IssueVendorTokenAsync(live.Services, "Acme SRS", "10099001", null, CancellationToken.None));
    }

    [Fact]
    public async Task The_sandbox_refuses_to_seed_when_sandbox_mode_is_off()
    {
        await using var off = new RegisterFactory(await TestDatabase.ConnectionStringAsync("register_sandbox_off"));
        off.CreateClient().Dispose();

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Host.Sandbox.ResetAsync(off.Services, null, CancellationToken.None));

        Assert.Contains("runs only in sandbox mode", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outside_the_sandbox_tokens_are_live_ones()
    {
        await using var off = new RegisterFactory(await TestDatabase.ConnectionStringAsync("register_sandbox_off"));

        Assert.StartsWith("rg_", await off.IssueTokenAsync("support"), StringComparison.Ordinal);
    }

    private async Task<SandboxReport> ResetAsync(string? vendor) => await Host.Sandbox.ResetAsync(sandbox.Factory.Services, vendor, CancellationToken.None);

    private async Task<T> SendAsync<T>(IRequest<T> request)
    {
        await using var scope = sandbox.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(request);
    }

    private static async Task<List<JsonElement>> ListAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.BodyAsync()).GetProperty("data").EnumerateArray().ToList();
    }
}

/// <summary>The sandbox's verbs as an operator runs them: a reset of a new database, a vendor's token, and the refusal of a live one.</summary>
public sealed class SandboxCommandLineTests
{
    [Fact]
    public async Task Sandbox_reset_seeds_a_new_database_and_prints_sandbox_tokens_sandbox_token_issues_a_vendor_s_and_a_database_with_records_is_refused()
    {
        var database = $"--ConnectionStrings:Register={await TestDatabase.ConnectionStringAsync("register_sandbox_verbs")}";
        var (code, stdout, stderr) = await Lifecycle.HostProcess.RunAsync(TimeSpan.FromSeconds(120), "sandbox-reset", "--vendor", "Acme SRS", "--Sandbox:Enabled=true", database);

        Assert.True(code == 0, $"sandbox-reset exited {code}: {stdout}\n{stderr}");
        Assert.Contains("The sandbox was emptied and its sample data loaded", stdout, StringComparison.Ordinal);
        Assert.Matches(@"trainees_api: +sandbox_rg_[A-Za-z0-9_-]{43}  \('Acme SRS \(Sandbox University\)'", stdout);
        foreach (var state in new[] { "submitted_for_trn", "trn_received", "deferred", "withdrawn", "recommended_for_award", "awarded" })
        {
            Assert.Contains($" {state} ", stdout, StringComparison.Ordinal);
        }

        var (tokenCode, tokenOut, tokenErr) = await Lifecycle.HostProcess.RunAsync(TimeSpan.FromSeconds(60),
            "sandbox-token", "--vendor", "Beta SRS", "--provider", "10099002", "--Sandbox:Enabled=true", database);
        Assert.True(tokenCode == 0, $"sandbox-token exited {tokenCode}: {tokenOut}\n{tokenErr}");
        Assert.Contains("Created trainees_api API client 'Beta SRS (Sandbox SCITT)'", tokenOut, StringComparison.Ordinal);
        Assert.Matches(@"\nsandbox_rg_[A-Za-z0-9_-]{43}", tokenOut);

        var live = $"--ConnectionStrings:Register={await TestDatabase.ConnectionStringAsync("register_sandbox_verbs_live")}";
        var (supportCode, _, _) = await Lifecycle.HostProcess.RunAsync(TimeSpan.FromSeconds(60), "create-support-token", "--name", "Live support", live);
        Assert.Equal(0, supportCode);
        var (refusedCode, _, refusedErr) = await Lifecycle.HostProcess.RunAsync(TimeSpan.FromSeconds(60), "sandbox-reset", "--Sandbox:Enabled=true", live);
        Assert.Equal(1, refusedCode);
        Assert.Contains("register: sandbox-reset refuses this database: it holds records (in access.api_clients", refusedErr, StringComparison.Ordinal);
    }
}
