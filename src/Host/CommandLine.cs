using System.Globalization;
using Mediator;
using Register.Access.Contracts;

namespace Register.Host;

/// <summary>
/// The Host's verbs. <c>serve</c> (the default) runs the service; <c>serve --demo</c> also prints a fresh
/// support token; <c>create-support-token --name NAME [--expires-on YYYY-MM-DD]</c> creates a support API
/// client on a fresh install and prints its token; <c>migrate</c> only brings the database up to date.
/// Every verb migrates first.
/// </summary>
internal static class CommandLine
{
    private static readonly string[] Verbs = ["serve", "migrate", "create-support-token"];

    public sealed record Verb(string Name, bool Demo, string? TokenName, DateOnly? ExpiresOn);

    public static (Verb Verb, string[] HostArgs) Parse(string[] args)
    {
        var name = args.Length > 0 && Verbs.Contains(args[0]) ? args[0] : "serve";
        var rest = args.Length > 0 && Verbs.Contains(args[0]) ? args[1..] : args;
        var demo = rest.Contains("--demo");
        string? tokenName = null;
        DateOnly? expiresOn = null;
        var hostArgs = new List<string>();
        for (var i = 0; i < rest.Length; i++)
        {
            switch (rest[i])
            {
                case "--demo":
                    break;
                case "--name" when i + 1 < rest.Length:
                    tokenName = rest[++i];
                    break;
                case "--expires-on" when i + 1 < rest.Length:
                    expiresOn = DateOnly.ParseExact(rest[++i], "yyyy-MM-dd", CultureInfo.InvariantCulture);
                    break;
                default:
                    hostArgs.Add(rest[i]);
                    break;
            }
        }

        return (new Verb(name, demo, tokenName, expiresOn), hostArgs.ToArray());
    }

    public static async Task<int> RunAsync(WebApplication app, Verb verb)
    {
        switch (verb.Name)
        {
            case "migrate":
                Console.WriteLine("Database is up to date.");
                return 0;

            case "create-support-token":
                var issued = await IssueAsync(app, verb.TokenName ?? "Support", verb.ExpiresOn);
                Console.WriteLine($"Created support API client '{issued.Name}' ({issued.ClientId}), valid through {issued.ExpiresOn:yyyy-MM-dd}.");
                Console.WriteLine("Its token is shown this once; keep it somewhere safe:");
                Console.WriteLine(issued.Token);
                await StopEmbeddedDatabaseAsync(app);
                return 0;

            default:
                if (verb.Demo)
                {
                    var demo = await IssueAsync(app, $"Demo support token {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss}", null);
                    app.Lifetime.ApplicationStarted.Register(() => PrintDemoBanner(app, demo.Token));
                }

                await app.RunAsync();
                return 0;
        }
    }

    private static async Task<IssuedToken> IssueAsync(WebApplication app, string name, DateOnly? expiresOn)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(new IssueSupportToken(name, expiresOn));
    }

    private static async Task StopEmbeddedDatabaseAsync(WebApplication app)
    {
        if (app.Services.GetRequiredService<Register.BuildingBlocks.Database.RegisterDatabase>().Embedded is { } embedded)
        {
            await embedded.StopAsync();
        }
    }

    private static void PrintDemoBanner(WebApplication app, string token)
    {
        var url = app.Urls.FirstOrDefault() ?? "http://localhost:5000";
        Console.WriteLine($"""

            Register is running at {url}
              API reference:   {url}/docs
              Health:          {url}/health/ready
              Demo support token (shown once):
                {token}
              Try:  curl -H "Authorization: Bearer {token}" {url}/support/api-clients

            """);
    }
}
