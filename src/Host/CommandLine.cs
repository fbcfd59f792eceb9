using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Runtime.InteropServices;
using Mediator;
using Microsoft.Extensions.Options;
using Register.Access.Contracts;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Email;
using Register.Partnerships.Contracts;
using Register.Providers.Contracts;
using Register.Trainees.Contracts;

namespace Register.Host;

/// <summary>
/// The Host's verbs, parsed with System.CommandLine before anything is built, so that <c>--help</c>, an unknown verb or a
/// missing option never touch the database. Every verb waits for PostgreSQL and migrates the database first (<c>restore</c>
/// and <c>restore-to-time</c> do not migrate). Arguments a verb does not know (<c>--urls</c>, <c>--ConnectionStrings:Register=...</c>,
/// <c>--Database:EmbeddedDirectory=...</c>) are the host's configuration, passed on to <see cref="WebApplication.CreateBuilder(string[])"/>.
/// Exit codes: 0 done, 1 failed, 2 usage error (an unknown verb, a missing or bad option), 3 an import finished with rows that failed.
/// </summary>
internal static class CommandLine
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int UsageError = 2;
    public const int RowsFailed = 3;

    private const string Description = """
        Register: the register of teacher training providers, their partnerships and trainees.
        With no verb, runs the service (serve).

        Any other argument is host configuration, passed on as ASP.NET Core reads command lines:
          --urls http://127.0.0.1:5080   --ConnectionStrings:Register="Host=...;Database=..."
          --Database:EmbeddedDirectory=DIR   --Database:StartupTimeout=00:01:00   --Host:ShutdownTimeout=00:00:30
        Without ConnectionStrings:Register, a project-local PostgreSQL cluster is started and stopped with the verb.

        Exit codes: 0 done; 1 failed (the database did not answer within Database:StartupTimeout, a verb's work failed);
                    2 usage error (unknown verb, missing or bad option); 3 an import finished, but some rows failed.
        """;

    /// <summary>The verb chosen, with the values of its options.</summary>
    public sealed class Verb(string name, ParseResult result)
    {
        public string Name => name;

        public string? this[string option] => Value<string>(option);

        /// <summary>The option's value, or its default; the default of <typeparamref name="T"/> when the verb has no such option.</summary>
        public T? Value<T>(string option) =>
            result.CommandResult.Command.Options.Any(o => o.Name == option) ? result.GetValue<T>(option) : default;

        public bool Flag(string option) => Value<bool>(option);

        /// <summary>The verbs that do not need a migrated database (they restore one).</summary>
        public bool Migrates => Name is not ("restore" or "restore-to-time");
    }

    /// <summary>A verb to run with the host's arguments, or (when <see cref="Verb"/> is null) the exit code of help or a usage error.</summary>
    public sealed record Invocation(Verb? Verb, string[] HostArgs, int ExitCode);

    public static Invocation Parse(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var root = BuildCommands();
        var configuration = new ParserConfiguration { ResponseFileTokenReplacer = null };
        var result = root.Parse(args, configuration);

        // An unknown verb would otherwise be taken for a host argument of serve.
        if (args.Length > 0 && !args[0].StartsWith('-') && !args[0].StartsWith('/') && root.Subcommands.All(c => c.Name != args[0]))
        {
            return UsageFailure(root, [], [$"Unknown verb '{args[0]}'. The verbs are: {string.Join(", ", root.Subcommands.Select(c => c.Name))}."], error);
        }

        var path = CommandPath(result);
        if (result.Errors.Count > 0)
        {
            return UsageFailure(root, path, result.Errors.Select(e => e.Message), error);
        }

        // --help, -h, --version: print and stop, starting nothing.
        if (result.Action is { } action && action != result.CommandResult.Command.Action)
        {
            var code = result.Invoke(new InvocationConfiguration { Output = output, Error = error });
            return new Invocation(null, [], code);
        }

        var stray = StrayArgument(result.UnmatchedTokens);
        if (stray is not null)
        {
            return UsageFailure(root, path, [$"Unrecognized argument '{stray}': host settings are given as --Name=value or --Name value."], error);
        }

        var name = result.CommandResult.Command is RootCommand ? "serve" : result.CommandResult.Command.Name;
        return new Invocation(new Verb(name, result), [.. result.UnmatchedTokens], Ok);
    }

    /// <summary>Runs <paramref name="verb"/>: prepares the database (waiting for it), then the verb's work; returns the exit code.</summary>
    public static async Task<int> RunAsync(WebApplication app, Verb verb)
    {
        var database = app.Services.GetRequiredService<RegisterDatabase>();
        using var stopping = new CancellationTokenSource();
        var signals = StopOnSignals(stopping);
        try
        {
            if (verb.Name == "serve")
            {
                return await ServeAsync(app, verb, signals, stopping.Token);
            }

            // The sandbox's verbs refuse to run, before the database is touched, unless sandbox mode is on.
            if (verb.Name is "sandbox-reset" or "sandbox-token")
            {
                Sandbox.RefuseUnlessEnabled(app.Configuration, verb.Name);
            }

            // A one-shot verb waits for PostgreSQL for 30 s unless Database:StartupTimeout says otherwise.
            await RegisterDatabase.PrepareAsync(app, verb.Migrates, TimeSpan.FromSeconds(30), stopping.Token);
            return await RunVerbAsync(app, verb, stopping.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            Console.Error.WriteLine($"register: {verb.Name} stopped by a signal before it finished.");
            return verb.Name == "serve" ? Ok : Failed;
        }
        catch (Exception) when (verb.Name == "serve" && HostedByAnotherProgram)
        {
            // In-process tests (WebApplicationFactory) see why the start failed, as an exception.
            throw;
        }
        catch (Exception ex) when (ex is DatabaseUnavailableException or MigrationFailedException)
        {
            Console.Error.WriteLine($"register: {ex.Message}");
            return Failed;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or FileNotFoundException or DirectoryNotFoundException or InvalidOperationException)
        {
            Console.Error.WriteLine($"register: {ex.Message}");
            return Failed;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"register: {verb.Name} failed: {ex}");
            return Failed;
        }
        finally
        {
            foreach (var signal in signals)
            {
                signal.Dispose();
            }

            // The host's ApplicationStopped has stopped it already when serve ran; a verb stops it here.
            await database.StopEmbeddedAsync();
        }
    }

    /// <summary>True when Program's entry point was called by another program (the tests' WebApplicationFactory), not run as the Host.</summary>
    private static bool HostedByAnotherProgram => System.Reflection.Assembly.GetEntryAssembly() != typeof(CommandLine).Assembly;

    /// <summary>
    /// Runs the service until SIGTERM or Ctrl-C: Kestrel stops taking connections, lets the requests in flight finish
    /// (for up to <c>Host:ShutdownTimeout</c>), the hosted services stop, and the project-local cluster is stopped.
    /// serve waits for PostgreSQL as long as it takes (unless <c>Database:StartupTimeout</c> is set): a supervisor decides.
    /// When a configured server does not answer at once, the Host starts meanwhile (live, not ready; 503 for the APIs), so
    /// that once PostgreSQL is back only the migrations' check stands between it and ready.
    /// </summary>
    private static async Task<int> ServeAsync(WebApplication app, Verb verb, List<PosixSignalRegistration> signals, CancellationToken ct)
    {
        var configured = app.Configuration.GetConnectionString(RegisterDatabase.ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured) && !await RegisterDatabase.AnswersAsync(configured, ct))
        {
            return await ServeBeforeDatabaseAsync(app, verb, signals);
        }

        await RegisterDatabase.PrepareAsync(app, migrate: true, defaultStartupTimeout: null, ct);
        if (verb.Flag("--demo"))
        {
            var banner = await PrepareDemoAsync(app, verb["--demo-data"] ?? Path.Combine("data", "seed"), ct);
            app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine(banner(app.Urls.FirstOrDefault() ?? "http://localhost:5000")));
        }

        // From here the host's own console lifetime handles the signals.
        foreach (var signal in signals)
        {
            signal.Dispose();
        }

        signals.Clear();
        ct.ThrowIfCancellationRequested();
        await app.RunAsync();
        return Ok;
    }

    /// <summary>Starts the host at once and prepares the database in the background; stops with exit code 1 if that fails.</summary>
    private static async Task<int> ServeBeforeDatabaseAsync(WebApplication app, Verb verb, List<PosixSignalRegistration> signals)
    {
        foreach (var signal in signals)
        {
            signal.Dispose();
        }

        signals.Clear();
        var stopping = app.Lifetime.ApplicationStopping;
        var preparing = RegisterDatabase.PrepareAsync(app, migrate: true, defaultStartupTimeout: null, stopping);
        await app.StartAsync(CancellationToken.None);
        var exitCode = Ok;
        try
        {
            await preparing;
            if (verb.Flag("--demo"))
            {
                Console.WriteLine((await PrepareDemoAsync(app, verb["--demo-data"] ?? Path.Combine("data", "seed"), stopping))(app.Urls.FirstOrDefault() ?? "http://localhost:5000"));
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopped while waiting: a clean stop.
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"register: {ex.Message}");
            exitCode = Failed;
            app.Lifetime.StopApplication();
        }

        await app.WaitForShutdownAsync(CancellationToken.None);
        await app.DisposeAsync();
        return exitCode;
    }

    private static async Task<int> RunVerbAsync(WebApplication app, Verb verb, CancellationToken ct)
    {
        var database = app.Services.GetRequiredService<RegisterDatabase>();
        switch (verb.Name)
        {
            case "migrate":
                Console.WriteLine("Database is up to date.");
                return Ok;

            case "create-user":
                Guid? userProvider = null;
                if (verb["--provider"] is { } providerKey)
                {
                    var known = await SendAsync(app, new ListProviderSnapshots(), ct);
                    userProvider = known.FirstOrDefault(p => p.DeletedAt is null && (p.Ukprn == providerKey || (Guid.TryParse(providerKey, out var id) && p.Id == id)))?.Id;
                    if (userProvider is null)
                    {
                        await Console.Error.WriteLineAsync($"No provider has the UKPRN or id {providerKey}.");
                        return UsageError;
                    }
                }

                var added = await SendAsync(app, new AddUser(verb["--first-name"]!, verb["--last-name"]!, verb["--email"]!, verb["--role"]!, verb.Flag("--system-admin"), userProvider), ct);
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

                return Ok;

            case "create-support-token":
            case "create-token":
                var issued = await SendAsync(app, new IssueApiToken(
                    verb["--name"]!,
                    verb.Name == "create-support-token" ? "support" : verb["--audience"]!,
                    verb.Value<Guid?>("--organisation-id"),
                    verb.Value<DateOnly?>("--expires-on")), ct);
                Console.WriteLine($"Created {issued.Audience} API client '{issued.Name}' ({issued.ClientId}), valid through {issued.ExpiresOn:yyyy-MM-dd}.");
                Console.WriteLine("Its token is shown this once; keep it somewhere safe:");
                Console.WriteLine(issued.Token);
                return Ok;

            case "backup":
                var outFile = verb["--out"] ?? Path.Combine("backups", $"register-{DateTimeOffset.UtcNow:yyyy-MM-ddTHHmmssZ}.dump");
                var taken = await CommandProgress.RunAsync(progress => DatabaseBackup.CreateAsync(database.ConnectionString, outFile, progress, ct));
                Console.WriteLine($"Backed up database '{taken.Database}' to {outFile} ({taken.SizeBytes} bytes, sha256 {taken.Sha256}, {taken.RowCounts.Count} tables, {taken.RowCounts.Values.Sum()} rows).");
                return Ok;

            case "restore":
                var from = verb["--from"]!;
                var into = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString);
                into.Database = verb["--database"] ?? into.Database;
                var restored = await CommandProgress.RunAsync(progress => DatabaseBackup.RestoreAsync(from, into.ConnectionString, progress, ct));
                Console.WriteLine($"Restored {from} (taken {restored.CreatedAt:u}) into database '{into.Database}': checksum and all {restored.RowCounts.Count} tables' row counts match.");
                return Ok;

            case "base-backup":
                var cluster = database.Embedded
                    ?? throw new ArgumentException("base-backup is for the project-local cluster; use your server's own tools for a configured one");
                var baseDirectory = verb["--out"]!;
                await cluster.BaseBackupAsync(baseDirectory, ct);
                Console.WriteLine($"Base backup written to {baseDirectory}; with the WAL archive it can be restored to any later time.");
                return Ok;

            case "restore-to-time":
                var time = verb.Value<DateTimeOffset>("--time");
                var newCluster = verb["--cluster"]!;
                var recovered = await EmbeddedPostgres.RestoreToTimeAsync(verb["--base"]!, verb["--wal"]!, time, newCluster, ct);
                await recovered.StopAsync(CancellationToken.None);
                Console.WriteLine($"Restored to {time:u} in {newCluster}. Start Register on it with --Database:EmbeddedDirectory={newCluster}.");
                return Ok;

            case "import-schools":
                var schools = await CommandProgress.RunAsync(progress => SendAsync(app, new ImportSchools(verb["--file"]!, progress), ct));
                Console.WriteLine($"Imported {schools.Rows} school rows in {schools.Elapsed.TotalSeconds:0.0} s: {schools.Created} created, {schools.Updated} updated, {schools.Unchanged} unchanged, {schools.Failures.Count} failed.");
                PrintFailures(schools.Failures);
                return schools.Failures.Count == 0 ? Ok : RowsFailed;

            case "import-seed-data":
                var clean = await ImportAsync(app, verb["--providers"]!, verb["--partnerships"], ct);
                return clean ? Ok : RowsFailed;

            case "sandbox-reset":
                var reset = await Sandbox.ResetAsync(app.Services, verb["--vendor"], ct);
                Console.WriteLine(reset.Describe());
                return Ok;

            case "sandbox-token":
                var (vendorToken, forWhom) = await Sandbox.IssueVendorTokenAsync(app.Services, verb["--vendor"]!, verb["--provider"], verb["--lead-provider"], ct);
                Console.WriteLine($"Created {vendorToken.Audience} API client '{vendorToken.Name}' ({vendorToken.ClientId}) for {forWhom}, valid through {vendorToken.ExpiresOn:yyyy-MM-dd}.");
                Console.WriteLine("Its token is shown this once; keep it somewhere safe:");
                Console.WriteLine(vendorToken.Token);
                return Ok;

            default:
                throw new InvalidOperationException($"The verb {verb.Name} has no implementation.");
        }
    }

    /// <summary>Imports the providers file, then (once their notifications have reached the Partnerships module) the partnerships file.</summary>
    private static async Task<bool> ImportAsync(WebApplication app, string providers, string? partnerships, CancellationToken ct)
    {
        var (report, partnershipReport) = await CommandProgress.RunAsync(async progress =>
        {
            var providerReport = await SendAsync(app, new ImportProviderSeedData(providers, progress), ct);
            var partnershipReport = partnerships is null ? null : await SendAsync(app, new ImportPartnershipSeedData(partnerships, progress), ct);
            return (providerReport, partnershipReport);
        });
        Console.WriteLine(
            $"Imported {report.ProviderRows} provider rows in {report.Elapsed.TotalSeconds:0.0} s: {report.ProvidersCreated} created, {report.ProvidersUpdated} updated, " +
            $"{report.ProvidersUnchanged} unchanged, {report.ProviderRowsFailed} failed; {report.ProvidersWithIssues} flagged with data issues.");
        PrintFailures(report.Failures);
        if (partnershipReport is null)
        {
            return report.ProviderRowsFailed == 0;
        }

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

    private static async Task<Func<string, string>> PrepareDemoAsync(WebApplication app, string demoData, CancellationToken ct)
    {
        var stamp = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var providersCsv = Path.Combine(demoData, "providers.csv");
        if (File.Exists(providersCsv))
        {
            var partnerships = Path.Combine(demoData, "provider-partnerships.csv");
            await ImportAsync(app, providersCsv, File.Exists(partnerships) ? partnerships : null, ct);
        }

        var leadProviders = await SendAsync(app, new SeedLeadProviderSandbox(), ct);
        var trainingProvider = (await SendAsync(app, new ListProviderSnapshots(), ct))
            .Where(p => p.ArchivedAt is null).OrderBy(p => p.AccreditationStatus == "accredited" ? 0 : 1).ThenBy(p => p.ProviderType == "hei" ? 0 : 1).ThenBy(p => p.Code, StringComparer.Ordinal)
            .FirstOrDefault();
        var support = await SendAsync(app, new IssueApiToken($"Demo support token {stamp}", "support", null, null), ct);
        var providersApi = await SendAsync(app, new IssueApiToken($"Demo providers API token {stamp}", "providers_api", null, null), ct);
        var leadProvider = await SendAsync(app, new IssueApiToken($"Demo lead provider token {stamp}", "lead_provider_api", leadProviders["Ambition Institute"], null), ct);
        var (trainees, noTrainees) = trainingProvider is null
            ? (null, "(no provider to issue one for)")
            : await DemoTraineesTokenAsync(app, trainingProvider, stamp, ct);
        if (noTrainees is not null && trainingProvider is not null)
        {
            Console.WriteLine(noTrainees);
        }

        var people = (await SendAsync(app, new SeedDemoUsers(trainingProvider?.Id), ct)).Where(u => u.Password is not null).ToList();
        var email = app.Services.GetRequiredService<IOptions<EmailOptions>>().Value;
        var emails = email.UsesNotify ? "sent through GOV.UK Notify" : $"written to {Path.GetFullPath(email.MailboxPath)}";
        var metrics = app.Configuration["Telemetry:MetricsUrl"] is { Length: > 0 } management && app.Configuration.GetValue("Telemetry:Enabled", true)
            ? $"{management.TrimEnd('/')}/metrics   (Prometheus; the management address only)"
            : "(none: set Telemetry:MetricsUrl)";
        return url => $"""

            Register is running at {url}
              Sign in at {url}/sign-in (passwords are new each run):
            {string.Join(Environment.NewLine, people.Select(p => $"    {p.Role + ":",-15} {p.Email,-34} password {p.Password}" + (p.Role == "provider user" ? $"  ({trainingProvider?.OperatingName})" : "")))}
              Emails:          {emails}
              API reference:   {url}/docs   (trainee API release notes: {url}/docs/release-notes)
              Journeys:        docs/http/*.http (VS Code REST Client): paste the tokens below
              Health:          {url}/health/ready   (TRS and email: {url}/health/dependencies)
              Metrics:         {metrics}
              Demo tokens (shown once):
                support:            {support.Token}
                providers_api:      {providersApi.Token}
                lead_provider_api:  {leadProvider.Token}  (Ambition Institute, sandbox data)
                trainees_api:       {trainees?.Token ?? "(none issued: see above)"}  ({trainingProvider?.OperatingName}, example trainees)
              Try:  curl -H "Authorization: Bearer {support.Token}" {url}/support/providers
                    curl -H "Authorization: Bearer {providersApi.Token}" {url}/api/v1/providers
                    curl -H "Authorization: Bearer {leadProvider.Token}" {url}/api/v3/partnerships
                    curl -H "Authorization: Bearer {trainees?.Token ?? "TOKEN"}" {url}/api/v2026.1/trainees

            """;
    }

    /// <summary>
    /// The demo's SRS token, for the training provider given the example trainees. A provider has at most two live trainee
    /// tokens, so a demo run again revokes the demo's own earlier token first; when the provider's two places are held by
    /// other SRS clients, the demo starts without one and says which clients hold them.
    /// </summary>
    private static async Task<(IssuedToken? Token, string? Why)> DemoTraineesTokenAsync(WebApplication app, ProviderSnapshot provider, string stamp, CancellationToken ct)
    {
        await SendAsync(app, new SeedDemoTrainees(provider.Id), ct);
        await SendAsync(app, new RevokeApiClients("trainees_api", provider.Id, "Demo SRS token"), ct);
        try
        {
            return (await SendAsync(app, new IssueApiToken($"Demo SRS token {stamp}", "trainees_api", provider.Id, null), ct), null);
        }
        catch (ArgumentException)
        {
            var holders = await SendAsync(app, new ListLiveApiClients("trainees_api", provider.Id), ct);
            return (null,
                $"{provider.OperatingName} already has {holders.Count} live SRS (trainees_api) tokens ({string.Join(", ", holders.Select(h => $"'{h}'"))}), " +
                "the most a provider may have, so no demo trainees token was issued. Revoke one (support pages or API) to get one on the next start.");
        }
    }

    private static async Task<T> SendAsync<T>(WebApplication app, IRequest<T> request, CancellationToken ct)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(request, ct);
    }

    /// <summary>Until the host runs (and its console lifetime takes over), SIGTERM and Ctrl-C cancel the work in hand.</summary>
    private static List<PosixSignalRegistration> StopOnSignals(CancellationTokenSource stopping)
    {
        if (OperatingSystem.IsWindows() || OperatingSystem.IsBrowser() || HostedByAnotherProgram)
        {
            return [];
        }

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stopping.Cancel();
        }

        return [PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop), PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop)];
    }

    private static Invocation UsageFailure(RootCommand root, IReadOnlyList<string> path, IEnumerable<string> errors, TextWriter error)
    {
        foreach (var message in errors)
        {
            error.WriteLine($"register: {message}");
        }

        error.WriteLine();
        root.Parse([.. path, "--help"]).Invoke(new InvocationConfiguration { Output = error, Error = error });
        return new Invocation(null, [], UsageError);
    }

    /// <summary>The verb's name as typed (empty for the root): help for it is shown with a usage error.</summary>
    private static List<string> CommandPath(ParseResult result)
    {
        var path = new List<string>();
        for (SymbolResult? current = result.CommandResult; current is CommandResult command && command.Command is not RootCommand; current = current.Parent)
        {
            path.Insert(0, command.Command.Name);
        }

        return path;
    }

    /// <summary>A bare word among the host arguments that is not the value of a <c>--Name value</c> pair: a typo, not configuration.</summary>
    private static string? StrayArgument(IReadOnlyList<string> unmatched)
    {
        for (var i = 0; i < unmatched.Count; i++)
        {
            var token = unmatched[i];
            var isKey = token.StartsWith('-') || token.StartsWith('/');
            if (isKey)
            {
                // "--Name value": the next token is the value.
                if (!token.Contains('=', StringComparison.Ordinal) && i + 1 < unmatched.Count && !unmatched[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    i++;
                }

                continue;
            }

            return token;
        }

        return null;
    }

    private static RootCommand BuildCommands()
    {
        var root = new RootCommand(Description) { TreatUnmatchedTokensAsErrors = false };
        AddServeOptions(root);
        root.SetAction(_ => Ok);

        var serve = AddVerb(root, "serve", "Run the service (the default verb) until SIGTERM or Ctrl-C, which let the requests in flight finish, then exit 0.");
        AddServeOptions(serve);

        AddVerb(root, "migrate", "Only bring the database up to date, then exit.");

        var createUser = AddVerb(root, "create-user",
            "Add a person who signs in to the pages (the first system admin of a fresh install); prints a one-time link to set their password.");
        createUser.Options.Add(Required("--email", "EMAIL", "Their email address."));
        createUser.Options.Add(Required("--first-name", "NAME", "Their first name."));
        createUser.Options.Add(Required("--last-name", "NAME", "Their last name."));
        var role = new Option<string>("--role") { Description = "What they do (provider: a provider user, with --provider).", HelpName = "support|api_user|provider", DefaultValueFactory = _ => "support" };
        role.AcceptOnlyFromAmong("support", "api_user", "provider");
        createUser.Options.Add(role);
        createUser.Options.Add(new Option<string>("--provider") { Description = "The provider user's training provider: its UKPRN or id (only with --role provider).", HelpName = "UKPRN|ID" });
        createUser.Validators.Add(r =>
        {
            var isProvider = r.GetValue(role) == "provider";
            var hasProvider = r.Children.OfType<OptionResult>().Any(c => c.Option.Name == "--provider" && !c.Implicit);
            if (isProvider != hasProvider)
            {
                r.AddError("create-user needs --provider UKPRN|ID with --role provider, and only then.");
            }
        });
        createUser.Options.Add(new Option<bool>("--system-admin") { Description = "They may add and change users." });
        createUser.Options.Add(new Option<string>("--base-url") { Description = "What goes before the link (default Web:BaseUrl, else http://127.0.0.1:5080).", HelpName = "URL" });

        var supportToken = AddVerb(root, "create-support-token", "Issue a token for the support API (the first token of a fresh install); prints it once.");
        supportToken.Options.Add(Optional("--name", "NAME", "The API client's name.", "Support"));
        supportToken.Options.Add(ExpiresOn());

        var token = AddVerb(root, "create-token", "Issue a token for an API audience; prints it once.");
        var audience = Required("--audience", "AUDIENCE", "support, providers_api, trainees_api or lead_provider_api.");
        audience.AcceptOnlyFromAmong("support", "providers_api", "trainees_api", "lead_provider_api");
        token.Options.Add(audience);
        token.Options.Add(Optional("--name", "NAME", "The API client's name.", "Support"));
        token.Options.Add(new Option<Guid?>("--organisation-id")
        {
            Description = "The provider (trainees_api) or lead provider (lead_provider_api) the token is for.",
            HelpName = "ID",
            CustomParser = r => Parsed(r, v => Guid.TryParse(v, out var id) ? id : (Guid?)null, "a UUID"),
        });
        token.Options.Add(ExpiresOn());

        var seed = AddVerb(root, "import-seed-data", "Import the reference's seed CSVs (providers, then partnerships). Exit code 3 when rows failed.");
        seed.Options.Add(Required("--providers", "FILE", "The providers CSV."));
        seed.Options.Add(new Option<string>("--partnerships") { Description = "The provider partnerships CSV.", HelpName = "FILE" });

        var schools = AddVerb(root, "import-schools", "Import schools from a GIAS-style CSV, for the lead provider API. Exit code 3 when rows failed.");
        schools.Options.Add(Required("--file", "FILE", "The GIAS CSV."));

        var backup = AddVerb(root, "backup", "Take a consistent backup of the whole database (pg_dump), with a manifest beside it.");
        backup.Options.Add(new Option<string>("--out") { Description = "The backup file (default backups/register-TIME.dump).", HelpName = "FILE" });

        var restore = AddVerb(root, "restore", "Restore a backup into an empty database (created if missing), checked against its manifest.");
        restore.Options.Add(Required("--from", "FILE", "The backup file."));
        restore.Options.Add(new Option<string>("--database") { Description = "The database to restore into (default: the configured one).", HelpName = "NAME" });

        var baseBackup = AddVerb(root, "base-backup", "Take a base backup of the project-local cluster, for point-in-time recovery (run with --Database:WalArchiveDirectory).");
        baseBackup.Options.Add(Required("--out", "DIR", "A new folder for the base backup."));

        var toTime = AddVerb(root, "restore-to-time", "Restore the project-local cluster to a moment, from a base backup and the WAL archive, into a new cluster.");
        toTime.Options.Add(Required("--base", "DIR", "The base backup."));
        toTime.Options.Add(Required("--wal", "DIR", "The WAL archive."));
        toTime.Options.Add(new Option<DateTimeOffset>("--time")
        {
            Description = "The moment to restore to, like 2026-11-24T10:04:59Z (UTC when no offset is given).",
            HelpName = "TIME",
            Required = true,
            CustomParser = r => Parsed(r,
                v => DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : (DateTimeOffset?)null,
                "a date and time like 2026-11-24T10:04:59Z") ?? default,
        });
        toTime.Options.Add(Required("--cluster", "DIR", "A new, empty folder for the restored cluster."));

        var sandboxReset = AddVerb(root, "sandbox-reset",
            "Sandbox mode only (Sandbox:Enabled=true): empty the sandbox's database, load its sample data again and print new tokens. " +
            "Refuses (exit code 1) a database that holds records but was never seeded as a sandbox.");
        sandboxReset.Options.Add(new Option<string>("--vendor") { Description = "The SRS vendor the sample HEI's token is for (default 'Sandbox SRS').", HelpName = "NAME" });

        var sandboxToken = AddVerb(root, "sandbox-token", "Sandbox mode only: issue a named vendor's token for a provider (trainee API) or a lead provider (lead provider API); prints it once.");
        sandboxToken.Options.Add(Required("--vendor", "NAME", "The vendor (the API client is called 'NAME (organisation)')."));
        sandboxToken.Options.Add(new Option<string>("--provider") { Description = "The training provider's UKPRN: a trainees_api token.", HelpName = "UKPRN" });
        sandboxToken.Options.Add(new Option<string>("--lead-provider") { Description = "The lead provider's name: a lead_provider_api token.", HelpName = "NAME" });
        sandboxToken.Validators.Add(r =>
        {
            var named = r.Children.OfType<OptionResult>().Count(c => c.Option.Name is "--provider" or "--lead-provider" && !c.Implicit);
            if (named != 1)
            {
                r.AddError("sandbox-token needs one of --provider UKPRN or --lead-provider NAME.");
            }
        });
        return root;
    }

    private static Command AddVerb(RootCommand root, string name, string description)
    {
        var command = new Command(name, description) { TreatUnmatchedTokensAsErrors = false };
        command.SetAction(_ => Ok);
        root.Subcommands.Add(command);
        return command;
    }

    private static void AddServeOptions(Command command)
    {
        command.Options.Add(new Option<bool>("--demo")
        {
            Description = "Also import the sample providers and print demo users and tokens (a provider's two SRS places taken by other clients leaves the demo without one).",
        });
        command.Options.Add(new Option<string>("--demo-data") { Description = "The demo's seed folder (default data/seed).", HelpName = "DIR" });
    }

    private static Option<string> Required(string name, string helpName, string description) =>
        new(name) { Description = description, HelpName = helpName, Required = true };

    private static Option<string> Optional(string name, string helpName, string description, string defaultValue) =>
        new(name) { Description = description, HelpName = helpName, DefaultValueFactory = _ => defaultValue };

    private static Option<DateOnly?> ExpiresOn() => new("--expires-on")
    {
        Description = "The last day the token works (default: the most its audience allows).",
        HelpName = "YYYY-MM-DD",
        CustomParser = r => Parsed(r,
            v => DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : (DateOnly?)null,
            "a date like 2026-12-31"),
    };

    private static T? Parsed<T>(ArgumentResult result, Func<string, T?> parse, string expected)
        where T : struct
    {
        var value = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (parse(value) is { } parsed)
        {
            return parsed;
        }

        result.AddError($"{(result.Parent as OptionResult)?.Option.Name ?? "The value"} must be {expected}, not '{value}'.");
        return null;
    }
}
