using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

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
            };
            foreach (var audience in new[] { "support", "providers_api", "trainees_api", "lead_provider_api", "per_ip" })
            {
                defaults[$"RateLimits:{audience}:TokenPermitLimit"] = "100000";
                defaults[$"RateLimits:{audience}:AnonymousPermitLimit"] = "100000";
            }

            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                defaults[key] = value;
            }

            configuration.AddInMemoryCollection(defaults);
        });
        if (services is not null)
        {
            builder.ConfigureServices(services);
        }
    }
}
