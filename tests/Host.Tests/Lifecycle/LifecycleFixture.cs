using System.Net.Http.Json;
using Register.BuildingBlocks.Database;
using Register.TestKit;

namespace Register.Host.Tests.Lifecycle;

/// <summary>
/// A PostgreSQL cluster of the lifecycle tests' own (they stop and start it), with Register's database migrated and a
/// support token and a lead provider token issued in it.
/// </summary>
public sealed class LifecycleFixture : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "register-lifecycle", Guid.NewGuid().ToString("N")[..12]);

    public EmbeddedPostgres Cluster { get; private set; } = null!;

    public string ConnectionString { get; private set; } = "";

    public string SupportToken { get; private set; } = "";

    public string LeadProviderToken { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Cluster = await EmbeddedPostgres.StartAsync(_directory, durable: false);
        await Cluster.EnsureDatabaseAsync("register");
        ConnectionString = Cluster.ConnectionString("register");
        await using var register = new RegisterFactory(ConnectionString);
        SupportToken = await register.IssueTokenAsync("support", name: "Lifecycle support");
        var support = register.WithToken(SupportToken);
        var created = await support.PostAsJsonAsync("/support/lead-providers", new { name = "Lifecycle Lead Provider" });
        created.EnsureSuccessStatusCode();
        var leadProvider = (await created.BodyAsync()).GetProperty("data").Id();
        LeadProviderToken = await register.IssueTokenAsync("lead_provider_api", leadProvider, "Lifecycle lead provider");
    }

    public async Task DisposeAsync()
    {
        if (Cluster.IsServerRunning)
        {
            await Cluster.StopNowAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>The lifecycle tests measure times against real processes, so they run alone, after the other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LifecycleCollection : ICollectionFixture<LifecycleFixture>
{
    public const string Name = "lifecycle";
}
