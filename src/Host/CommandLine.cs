using System.Globalization;
using Mediator;
using Register.Access.Contracts;
using Register.BuildingBlocks.Database;
using Register.Partnerships.Contracts;
using Register.Providers.Contracts;
using Register.Trainees.Contracts;

namespace Register.Host;

/// <summary>
/// The Host's verbs; every one migrates the database first.
/// <list type="bullet">
/// <item><c>serve</c> (the default) runs the service; <c>serve --demo</c> also imports the sample providers
/// (<c>--demo-data</c>, default <c>data/seed</c>) and prints a support and a providers API token.</item>
/// <item><c>create-user --email EMAIL --first-name NAME --last-name NAME [--role support|api_user] [--system-admin]</c>: the first
/// person of a fresh install (a system admin, who adds the others in the pages); prints a one-time link to set their password.</item>
/// <item><c>create-support-token --name NAME [--expires-on YYYY-MM-DD]</c>: the first token of a fresh install.</item>
/// <item><c>create-token --audience AUDIENCE --name NAME [--organisation-id ID] [--expires-on YYYY-MM-DD]</c>.</item>
/// <item><c>import-seed-data --providers FILE [--partnerships FILE]</c>: the reference's seed CSVs.</item>
/// <item><c>import-schools --file FILE</c>: schools from a GIAS-style CSV, for the lead provider API.</item>
/// <item><c>backup [--out FILE]</c>: a consistent backup of the whole database, with a manifest beside it.</item>
/// <item><c>restore --from FILE [--database NAME]</c>: into an empty database (created if missing), checked against the manifest.</item>
/// <item><c>base-backup --out DIR</c> and <c>restore-to-time --base DIR --wal DIR --time T --cluster NEWDIR</c>: point-in-time
/// recovery of the project-local cluster, run with <c>--Database:WalArchiveDirectory</c>.</item>
/// <item><c>migrate</c>: only bring the database up to date.</item>
/// </list>
/// </summary>
internal static class CommandLine
{
    private static readonly string[] Verbs =
        ["serve", "migrate", "create-user", "create-support-token", "create-token", "import-seed-data", "import-schools", "backup", "restore", "base-backup", "restore-to-time"];
    private static readonly string[] Options =
    [
        "--name", "--audience", "--organisation-id", "--expires-on", "--providers", "--partnerships", "--demo-data", "--file", "--out", "--from", "--database",
        "--base", "--wal", "--time", "--cluster", "--email", "--first-name", "--last-name", "--role", "--base-url",
    ];

    private static readonly string[] Flags = ["--demo", "--system-admin"];

    public sealed record Verb(string Name, bool Demo, IReadOnlyDictionary<string, string> Options, IReadOnlySet<string> Flags)
    {
        public string? this[string option] => Options.GetValueOrDefault(option);
    }

    public static (Verb Verb, string[] HostArgs) Parse(string[] args)
    {
        var named = args.Length > 0 && Verbs.Contains(args[0]);
        var rest = named ? args[1..] : args;
        var options = new Dictionary<string, string>();
        var hostArgs = new List<string>();
        for (var i = 0; i < rest.Length; i++)
        {
            if (Options.Contains(rest[i]) && i + 1 < rest.Length)
            {
                options[rest[i]] = rest[++i];
            }
            else if (!Flags.Contains(rest[i]))
            {
                hostArgs.Add(rest[i]);
            }
        }

        return (new Verb(named ? args[0] : "serve", rest.Contains("--demo"), options, rest.Where(Flags.Contains).ToHashSet()), hostArgs.ToArray());
    }

    public static async Task<int> RunAsync(WebApplication app, Verb verb)
    {
        try
        {
            switch (verb.Name)
            {
                case "migrate":
                    Console.WriteLine("Database is up to date.");
                    return await StopAsync(app, 0);

                case "create-user":
                    var added = await SendAsync(app, new AddUser(
                        verb["--first-name"] ?? throw new ArgumentException("--first-name is required"),
                        verb["--last-name"] ?? throw new ArgumentException("--last-name is required"),
                        verb["--email"] ?? throw new ArgumentException("--email is required"),
                        verb["--role"] ?? "support",
                        verb.Flags.Contains("--system-admin")));
                    Console.WriteLine($"Added {added.Name} <{added.Email}> ({added.Id}).");
                    if (added.SignInPath is { } path)
                    {
                        var baseUrl = (verb["--base-url"] ?? app.Configuration["Web:BaseUrl"] ?? "http://127.0.0.1:5080").TrimEnd('/');
                        Console.WriteLine($"Send them this one-time link to set their password; it works until {added.SignInLinkExpiresAt:yyyy-MM-dd HH:mm} UTC:");
                        Console.WriteLine(baseUrl + path);
                    }
                    else
                    {
                        Console.WriteLine("They sign in through the identity provider with this email address.");
                    }

                    return await StopAsync(app, 0);

                case "create-support-token":
                case "create-token":
                    var issued = await SendAsync(app, new IssueApiToken(
                        verb["--name"] ?? "Support",
                        verb.Name == "create-support-token" ? "support" : verb["--audience"] ?? throw new ArgumentException("--audience is required"),
                        verb["--organisation-id"] is { } organisation ? Guid.Parse(organisation) : null,
                        verb["--expires-on"] is { } expires ? DateOnly.ParseExact(expires, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null));
                    Console.WriteLine($"Created {issued.Audience} API client '{issued.Name}' ({issued.ClientId}), valid through {issued.ExpiresOn:yyyy-MM-dd}.");
                    Console.WriteLine("Its token is shown this once; keep it somewhere safe:");
                    Console.WriteLine(issued.Token);
                    return await StopAsync(app, 0);

                case "backup":
                    var outFile = verb["--out"] ?? Path.Combine("backups", $"register-{DateTimeOffset.UtcNow:yyyy-MM-ddTHHmmssZ}.dump");
                    var taken = await DatabaseBackup.CreateAsync(app.Services.GetRequiredService<RegisterDatabase>().ConnectionString, outFile);
                    Console.WriteLine($"Backed up database '{taken.Database}' to {outFile} ({taken.SizeBytes} bytes, sha256 {taken.Sha256}, {taken.RowCounts.Count} tables, {taken.RowCounts.Values.Sum()} rows).");
                    return await StopAsync(app, 0);

                case "restore":
                    var from = verb["--from"] ?? throw new ArgumentException("--from FILE is required");
                    var into = new Npgsql.NpgsqlConnectionStringBuilder(app.Services.GetRequiredService<RegisterDatabase>().ConnectionString);
                    into.Database = verb["--database"] ?? into.Database;
                    var restored = await DatabaseBackup.RestoreAsync(from, into.ConnectionString);
                    Console.WriteLine($"Restored {from} (taken {restored.CreatedAt:u}) into database '{into.Database}': checksum and all {restored.RowCounts.Count} tables' row counts match.");
                    return await StopAsync(app, 0);

                case "base-backup":
                    var cluster = app.Services.GetRequiredService<RegisterDatabase>().Embedded
                        ?? throw new ArgumentException("base-backup is for the project-local cluster; use your server's own tools for a configured one");
                    var baseDirectory = verb["--out"] ?? throw new ArgumentException("--out DIR is required");
                    await cluster.BaseBackupAsync(baseDirectory);
                    Console.WriteLine($"Base backup written to {baseDirectory}; with the WAL archive it can be restored to any later time.");
                    return await StopAsync(app, 0);

                case "restore-to-time":
                    var time = DateTimeOffset.Parse(verb["--time"] ?? throw new ArgumentException("--time is required, like 2026-11-24T10:04:59Z"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                    var newCluster = verb["--cluster"] ?? throw new ArgumentException("--cluster DIR (a new, empty folder) is required");
                    var recovered = await EmbeddedPostgres.RestoreToTimeAsync(
                        verb["--base"] ?? throw new ArgumentException("--base DIR is required"), verb["--wal"] ?? throw new ArgumentException("--wal DIR is required"), time, newCluster);
                    await recovered.StopAsync();
                    Console.WriteLine($"Restored to {time:u} in {newCluster}. Start Register on it with --Database:EmbeddedDirectory={newCluster}.");
                    return await StopAsync(app, 0);

                case "import-schools":
                    var schools = await SendAsync(app, new ImportSchools(verb["--file"] ?? throw new ArgumentException("--file FILE is required")));
                    Console.WriteLine($"Imported {schools.Rows} school rows in {schools.Elapsed.TotalSeconds:0.0} s: {schools.Created} created, {schools.Updated} updated, {schools.Unchanged} unchanged, {schools.Failures.Count} failed.");
                    PrintFailures(schools.Failures);
                    return await StopAsync(app, schools.Failures.Count == 0 ? 0 : 2);

                case "import-seed-data":
                    var clean = await ImportAsync(app, verb["--providers"] ?? throw new ArgumentException("--providers FILE is required"), verb["--partnerships"]);
                    return await StopAsync(app, clean ? 0 : 2);

                default:
                    if (verb.Demo)
                    {
                        var banner = await PrepareDemoAsync(app, verb["--demo-data"] ?? Path.Combine("data", "seed"));
                        app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine(banner(app.Urls.FirstOrDefault() ?? "http://localhost:5000")));
                    }

                    try
                    {
                        await app.RunAsync();
                        return 0;
                    }
                    finally
                    {
                        await StopAsync(app, 0);
                    }
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or FileNotFoundException or DirectoryNotFoundException or InvalidOperationException)
        {
            Console.Error.WriteLine($"register: {ex.Message}");
            return await StopAsync(app, 1);
        }
        catch (Exception ex) when (verb.Name != "serve")
        {
            Console.Error.WriteLine($"register: {verb.Name} failed: {ex}");
            return await StopAsync(app, 1);
        }
    }

    /// <summary>Imports the providers file, then (once their notifications have reached the Partnerships module) the partnerships file.</summary>
    private static async Task<bool> ImportAsync(WebApplication app, string providers, string? partnerships)
    {
        var progress = new Progress<string>(Console.WriteLine);
        var report = await SendAsync(app, new ImportProviderSeedData(providers, progress));
        Console.WriteLine(
            $"Imported {report.ProviderRows} provider rows in {report.Elapsed.TotalSeconds:0.0} s: {report.ProvidersCreated} created, {report.ProvidersUpdated} updated, " +
            $"{report.ProvidersUnchanged} unchanged, {report.ProviderRowsFailed} failed; {report.ProvidersWithIssues} flagged with data issues.");
        PrintFailures(report.Failures);
        if (partnerships is null)
        {
            return report.ProviderRowsFailed == 0;
        }

        var partnershipReport = await SendAsync(app, new ImportPartnershipSeedData(partnerships, progress));
        Console.WriteLine(
            $"Imported {partnershipReport.Rows} partnership rows in {partnershipReport.Elapsed.TotalSeconds:0.0} s: {partnershipReport.Created} created, " +
            $"{partnershipReport.Updated} updated, {partnershipReport.Unchanged} unchanged, {partnershipReport.Failures.Count} failed.");
        PrintFailures(partnershipReport.Failures);
        return report.ProviderRowsFailed == 0 && partnershipReport.Failures.Count == 0;
    }

    private static void PrintFailures(IReadOnlyList<string> failures)
    {
        foreach (var failure in failures.Take(20))
        {
            Console.WriteLine($"  {failure}");
        }

        if (failures.Count > 20)
        {
            Console.WriteLine($"  … and {failures.Count - 20} more");
        }
    }

    private static async Task<Func<string, string>> PrepareDemoAsync(WebApplication app, string demoData)
    {
        var stamp = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var providersCsv = Path.Combine(demoData, "providers.csv");
        if (File.Exists(providersCsv))
        {
            var partnerships = Path.Combine(demoData, "provider-partnerships.csv");
            await ImportAsync(app, providersCsv, File.Exists(partnerships) ? partnerships : null);
        }

        var leadProviders = await SendAsync(app, new SeedLeadProviderSandbox());
        var trainingProvider = (await SendAsync(app, new ListProviderSnapshots()))
            .Where(p => p.ArchivedAt is null).OrderBy(p => p.AccreditationStatus == "accredited" ? 0 : 1).ThenBy(p => p.ProviderType == "hei" ? 0 : 1).ThenBy(p => p.Code, StringComparer.Ordinal)
            .FirstOrDefault();
        var support = await SendAsync(app, new IssueApiToken($"Demo support token {stamp}", "support", null, null));
        var providersApi = await SendAsync(app, new IssueApiToken($"Demo providers API token {stamp}", "providers_api", null, null));
        var leadProvider = await SendAsync(app, new IssueApiToken($"Demo lead provider token {stamp}", "lead_provider_api", leadProviders["Ambition Institute"], null));
        var trainees = trainingProvider is null ? null : await DemoTraineesTokenAsync(app, trainingProvider, stamp);
        var people = (await SendAsync(app, new SeedDemoUsers())).Where(u => u.Password is not null).ToList();
        return url => $"""

            Register is running at {url}
              Sign in at {url}/sign-in (passwords are new each run):
            {string.Join(Environment.NewLine, people.Select(p => $"    {p.Role + ":",-15} {p.Email,-34} password {p.Password}"))}
              API reference:   {url}/docs
              Health:          {url}/health/ready
              Demo tokens (shown once):
                support:            {support.Token}
                providers_api:      {providersApi.Token}
                lead_provider_api:  {leadProvider.Token}  (Ambition Institute, sandbox data)
                trainees_api:       {trainees?.Token ?? "(no provider to issue one for)"}  ({trainingProvider?.OperatingName}, example trainees)
              Try:  curl -H "Authorization: Bearer {support.Token}" {url}/support/providers
                    curl -H "Authorization: Bearer {providersApi.Token}" {url}/api/v1/providers
                    curl -H "Authorization: Bearer {leadProvider.Token}" {url}/api/v3/partnerships
                    curl -H "Authorization: Bearer {trainees?.Token}" {url}/api/v2026.1/trainees

            """;
    }

    /// <summary>
    /// The demo's SRS token, for the training provider given the example trainees. A provider has at most two live trainee
    /// tokens, so a demo run again revokes the oldest demo token first.
    /// </summary>
    private static async Task<IssuedToken> DemoTraineesTokenAsync(WebApplication app, ProviderSnapshot provider, string stamp)
    {
        await SendAsync(app, new SeedDemoTrainees(provider.Id));
        await SendAsync(app, new RevokeApiClients("trainees_api", provider.Id, "Demo SRS token"));
        return await SendAsync(app, new IssueApiToken($"Demo SRS token {stamp}", "trainees_api", provider.Id, null));
    }

    private static async Task<T> SendAsync<T>(WebApplication app, IRequest<T> request)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(request);
    }

    private static async Task<int> StopAsync(WebApplication app, int exitCode)
    {
        if (app.Services.GetRequiredService<RegisterDatabase>().Embedded is { } embedded)
        {
            await embedded.StopAsync();
        }

        return exitCode;
    }
}
