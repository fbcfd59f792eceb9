using System.Net.Http.Headers;
using Mediator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Register.Access.Contracts;

namespace Register.TestKit;

/// <summary>
/// Register in process, through its real pipeline, against a real PostgreSQL database. Settings can be
/// overridden per factory (rate limits, outbox behaviour); extra services can be added for a test's needs.
/// </summary>
public class RegisterFactory(string connectionString, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    /// <summary>A fixed test key: tokens are hashed with it.</summary>
    public const string TokenHashKey = "dGVzdC1rZXktdGhhdC1pcy1hdC1sZWFzdC0zMi1ieXRlcy1sb25nLW9r";

    public string ConnectionString => connectionString;

    /// <summary>
    /// This Register's mailbox folder (<c>Email:MailboxPath</c>), a fresh one per factory unless the settings name one: the
    /// emails it sends are files there (see <see cref="Mailbox"/>).
    /// </summary>
    public string MailboxPath { get; } = settings?.TryGetValue("Email:MailboxPath", out var path) == true && path is not null
        ? path
        : Path.Combine(Path.GetTempPath(), "register-mailbox-" + Guid.NewGuid().ToString("N"));

    /// <summary>Every API answer this Register gives, compared with its OpenAPI document (see <see cref="DocumentedResponses"/>).</summary>
    public DocumentedResponses Responses { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // As in Development: a registration that cannot be resolved fails the start, not a request.
        builder.UseDefaultServiceProvider(o =>
        {
            o.ValidateOnBuild = true;
            o.ValidateScopes = true;
        });
        builder.ConfigureAppConfiguration(configuration =>
        {
            var defaults = new Dictionary<string, string?>
            {
                ["ConnectionStrings:Register"] = connectionString,
                ["Tokens:HashKey"] = TokenHashKey,
                ["Serilog:MinimumLevel:Default"] = "Warning",
                ["Serilog:MinimumLevel:Override:Npgsql"] = "Warning",
                // Tests check dispatch-after-commit; background dispatch is switched on where a test needs it.
                ["Outbox:BackgroundDispatch"] = "false",
                // Sign-in in tests: passwords hashed with few PBKDF2 rounds (the count is kept in each hash).
                ["SignIn:PasswordIterations"] = "1000",
                ["Email:MailboxPath"] = MailboxPath,
            };
            foreach (var audience in new[] { "support", "providers_api", "trainees_api", "lead_provider_api", "per_ip" })
            {
                defaults[$"RateLimits:{audience}:TokenPermitLimit"] = "100000";
                defaults[$"RateLimits:{audience}:AnonymousPermitLimit"] = "100000";
            }

            // Tests send many made-up tokens from one (unknown) address; the test of the flood guard sets its own limit.
            defaults["RateLimits:FailedTokens:PermitLimit"] = "100000";
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                defaults[key] = value;
            }

            configuration.AddInMemoryCollection(defaults);
        });
        builder.ConfigureServices(s => s.AddSingleton(Responses.StartupFilter()));
        if (services is not null)
        {
            builder.ConfigureServices(services);
        }
    }

    /// <summary>
    /// Stops this Register, failing when an answer it gave differs from its API's document and no test has taken the
    /// difference (<see cref="ApiTest{TFixture}"/> takes its own): a factory a test makes for itself is checked too.
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        Responses.AssertNoneDiffered();
    }

    /// <summary>A token for an audience (and organisation), issued as the command line issues it.</summary>
    public async Task<string> IssueTokenAsync(string audience, Guid? organisationId = null, string? name = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var issued = await scope.ServiceProvider.GetRequiredService<ISender>()
            .Send(new IssueApiToken(name ?? $"Test {audience} {Guid.NewGuid():N}", audience, organisationId, null));
        return issued.Token;
    }

    /// <summary>An HTTP client that sends the token.</summary>
    public HttpClient WithToken(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>An HTTP client carrying a fresh support token.</summary>
    public async Task<HttpClient> SupportAsync(string? name = null) => WithToken(await IssueTokenAsync("support", null, name));
}
