using System.Net.Http.Headers;
using System.Net.Http.Json;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Register.Access.Contracts;
using Respawn;
using Xunit;

namespace Register.TestKit;

/// <summary>
/// One Register and one database for a test collection. <see cref="ResetAsync"/> empties every module
/// schema (Respawn; the DbUp journals live in <c>public</c>, so migrations are not run again).
/// </summary>
public class ApiFixture : IAsyncLifetime
{
    private Respawner? _respawner;

    public RegisterFactory Factory { get; private set; } = null!;

    public string ConnectionString { get; private set; } = "";

    /// <summary>The database this fixture's tests use; one per fixture type, so collections never share data.</summary>
    protected virtual string DatabaseName => "register_" + GetType().Name.ToLowerInvariant();

    /// <summary>Settings this fixture's Register runs with, on top of the test defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    /// <summary>True to serve over a real socket (Kestrel on a free port) instead of the in-memory test server: a browser needs one.</summary>
    protected virtual bool ListensOnSocket => false;

    /// <summary>Where Register listens, when <see cref="ListensOnSocket"/>.</summary>
    public string BaseUrl { get; private set; } = "http://localhost";

    /// <summary>Services this fixture's Register runs with instead of its own (a fake clock, say).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public virtual async Task InitializeAsync()
    {
        ConnectionString = await TestDatabase.ConnectionStringAsync(DatabaseName);
        Factory = new RegisterFactory(ConnectionString, Settings, ConfigureServices);
        if (ListensOnSocket)
        {
            Factory.UseKestrel(0);
            Factory.StartServer();
            var addresses = Factory.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
                .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses;
            BaseUrl = addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal);
        }
        else
        {
            Factory.CreateClient().Dispose(); // starts the host: migrations run
        }

        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        _respawner = await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.Postgres,
            // Not "jobs": a scheduled job keeps its claim transaction (which has read jobs.job_runs) open while it runs on other
            // connections, so truncating that table could wait on a job that waits on the tables truncated before it.
            SchemasToInclude = ["access", "providers", "trainees", "partnerships", "activity_log", "web"],
            // The data protection key ring stays: the running Register keeps using the keys it has read.
            TablesToIgnore = [new Respawn.Graph.Table("access", "data_protection_keys")],
        });
    }

    public async Task ResetAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await _respawner!.ResetAsync(connection);
    }

    public virtual async Task DisposeAsync() => await Factory.DisposeAsync();

    /// <summary>An HTTP client with no token.</summary>
    public HttpClient Anonymous() => Factory.CreateClient();

    /// <summary>An HTTP client carrying a fresh support token (created as the command line does).</summary>
    public Task<HttpClient> SupportAsync(string name = "Test support") => Factory.SupportAsync(name);

    /// <summary>Creates an API client through the support API and returns its token.</summary>
    public async Task<string> CreateTokenAsync(HttpClient support, string audience, Guid? organisationId = null, string? name = null)
    {
        var response = await support.PostAsJsonAsync("/support/api-clients", new
        {
            name = name ?? $"{audience} client {Guid.NewGuid():N}",
            audience,
            organisation_id = organisationId,
        });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return body.GetProperty("data").GetProperty("token").GetString()!;
    }

    public HttpClient WithToken(string token) => Factory.WithToken(token);
}

/// <summary>Base of a test class in a collection sharing an <see cref="ApiFixture"/>: every test starts from empty schemas.</summary>
public abstract class ApiTest<TFixture>(TFixture fixture) : IAsyncLifetime
    where TFixture : ApiFixture
{
    protected TFixture Api { get; } = fixture;

    public virtual Task InitializeAsync()
    {
        Api.Factory.Responses.TakeViolations(); // a test is answerable for its own requests only
        return Api.ResetAsync();
    }

    /// <summary>Fails the test when an answer it received differs from the API's OpenAPI document.</summary>
    public virtual Task DisposeAsync()
    {
        Api.Factory.Responses.AssertNoneDiffered();
        return Task.CompletedTask;
    }
}
