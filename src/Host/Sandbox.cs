using System.Diagnostics;
using System.Globalization;
using System.Text;
using Mediator;
using Npgsql;
using Register.Access.Contracts;
using Register.BuildingBlocks.Database;
using Register.Partnerships.Contracts;
using Register.Providers.Contracts;
using Register.Trainees.Contracts;

namespace Register.Host;

/// <summary>
/// The sandbox for SRS vendors and lead providers (ADR 19): the same service in sandbox mode (<c>Sandbox:Enabled</c>), on a
/// database of its own filled with sample data. <see cref="ResetAsync"/> (the <c>sandbox-reset</c> verb) empties the database and
/// loads the samples again, through the modules' contracts only: providers of each kind and their partnerships (the providers
/// seed import, from a file made here), the lead provider sandbox, trainees in every state for the sample HEI and the demo's
/// example trainees for the sample SCITT, and new tokens. <see cref="IssueVendorTokenAsync"/> (<c>sandbox-token</c>) issues a
/// named vendor's token between resets.
/// <para>
/// The rule that keeps it away from real data: a database the sandbox has seeded carries a marker, the table
/// <see cref="MarkerTable"/>, made at its first seeding. A reset refuses a database without it that holds any record (any row
/// of a module's tables but the data protection keys), and both verbs refuse to run at all unless sandbox mode is on.
/// </para>
/// </summary>
internal static class Sandbox
{
    /// <summary>Made at a database's first sandbox seeding: its existence says "this is a sandbox database".</summary>
    public const string MarkerTable = "public.register_sandbox";

    /// <summary>The sample HEI, whose trainees are in every state, and whose SRS token a reset issues.</summary>
    public static SampleProvider Hei => SampleProviders[0];

    /// <summary>The sample SCITT, given the demo's example trainees.</summary>
    public static SampleProvider Scitt => SampleProviders[1];

    /// <summary>The lead provider whose token a reset issues (one of the lead provider sandbox's seven).</summary>
    public const string LeadProvider = "Ambition Institute";

    /// <summary>The sample providers: an accredited HEI, an accredited SCITT, and three lead partners (not accredited) of two kinds.</summary>
    public static IReadOnlyList<SampleProvider> SampleProviders { get; } =
    [
        new("1SU", "Sandbox University", "hei", "accredited", "10099001", null, "1901", "Woodhouse Lane", "Leeds", "LS2 9JT", 53.8067m, -1.5550m),
        new("5SC", "Sandbox SCITT", "scitt", "accredited", "10099002", "199002", "5901", "1 Hall Ings", "Bradford", "BD1 1HY", 53.7920m, -1.7530m),
        new("S3P", "Sandbox Primary School", "school", "unaccredited", "10099003", "199003", null, "12 Church Street", "Leeds", "LS6 2AA", 53.8200m, -1.5770m),
        new("S4A", "Sandbox Secondary Academy", "school", "unaccredited", "10099004", "199004", null, "40 Westgate", "Wakefield", "WF1 1JY", 53.6830m, -1.5060m),
        new("S5T", "Sandbox Teaching Trust", "other", "unaccredited", "10099005", null, null, "3 Museum Street", "York", "YO1 7DJ", 53.9610m, -1.0870m),
    ];

    /// <summary>Who trains with whom: each accredited provider with two of the lead partners.</summary>
    private static readonly (string Accredited, string Partner)[] SamplePartnerships = [("1SU", "S3P"), ("1SU", "S4A"), ("5SC", "S3P"), ("5SC", "S5T")];

    /// <summary>What a reset keeps: the people who sign in to the pages, and the keys of their cookies (not records).</summary>
    private static readonly string[] Kept = ["access.users", "access.user_sessions", "access.sign_in_links", "access.data_protection_keys"];

    /// <summary>Rows that are no record: the data protection keys a start writes.</summary>
    private static readonly string[] NotRecords = ["access.data_protection_keys"];

    /// <summary>
    /// Schemas a reset leaves alone: the scheduled jobs' bookkeeping (a running job holds its claim open, and truncating it
    /// could wait on a job that waits on the reset) and what is not a module's data.
    /// </summary>
    private static readonly string[] NotEmptied = ["jobs"];

    public static bool IsEnabled(IConfiguration configuration) => configuration.GetValue<bool>("Sandbox:Enabled");

    /// <summary>Throws (exit code 1, before the database is touched) unless sandbox mode is on.</summary>
    public static void RefuseUnlessEnabled(IConfiguration configuration, string verb)
    {
        if (!IsEnabled(configuration))
        {
            throw new InvalidOperationException(
                $"{verb} runs only in sandbox mode, on a sandbox's own database: set Sandbox__Enabled=true (or --Sandbox:Enabled=true). Nothing was changed.");
        }
    }

    /// <summary>
    /// Empties the sandbox database (every module's tables but the people who sign in) and loads the samples again, with new
    /// tokens; the first time, on an empty database, it marks the database as a sandbox's. One reset at a time.
    /// </summary>
    /// <param name="vendor">The SRS vendor the sample HEI's token is for (its API client's name), or null for "Sandbox SRS".</param>
    public static async Task<SandboxReport> ResetAsync(IServiceProvider services, string? vendor, CancellationToken ct)
    {
        RefuseUnlessEnabled(services.GetRequiredService<IConfiguration>(), "sandbox-reset");
        var stopwatch = Stopwatch.StartNew();
        var db = services.GetRequiredService<NpgsqlDataSource>();
        await using var connection = await db.OpenConnectionAsync(ct);
        await ExecuteAsync(connection, "SELECT pg_advisory_lock(hashtextextended('register-sandbox-reset', 0))", ct);
        try
        {
            var schemas = services.GetServices<ModuleMigrations>().Select(m => m.Schema).Except(NotEmptied).Distinct().ToArray();
            var tables = await TablesAsync(connection, schemas, ct);
            if (!await IsMarkedAsync(connection, ct))
            {
                var holding = await TablesWithRowsAsync(connection, tables.Except(NotRecords).ToList(), ct);
                if (holding.Count > 0)
                {
                    throw new InvalidOperationException(
                        "sandbox-reset refuses this database: it holds records (in " + string.Join(", ", holding.Take(5)) + (holding.Count > 5 ? ", …" : "") +
                        $") but it is not a sandbox database (it has no {MarkerTable}, which the first sandbox seeding makes). A reset empties the " +
                        "database, so it runs only on a sandbox's own: point it at a new, empty database. Nothing was changed.");
                }
            }

            // The marker first: a reset that cannot mark the database (no CREATE on public, say) empties nothing. (Not one
            // transaction with the emptying: its TRUNCATE would then wait, holding the check's locks, on a running sandbox's work.)
            await MarkAsync(connection, services.GetRequiredService<TimeProvider>().GetUtcNow(), ct);
            await EmptyAsync(connection, tables.Except(Kept).ToList(), ct);
            var report = await SeedAsync(services, vendor ?? "Sandbox SRS", ct);
            return report with { Elapsed = stopwatch.Elapsed };
        }
        finally
        {
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock(hashtextextended('register-sandbox-reset', 0))", CancellationToken.None);
        }
    }

    /// <summary>
    /// A token for a named vendor in a sandbox database: an SRS vendor's (<c>trainees_api</c>) for the provider with
    /// <paramref name="ukprn"/>, or a lead provider's (<c>lead_provider_api</c>) for the lead provider named <paramref name="leadProvider"/>.
    /// Its API client is called "<paramref name="vendor"/> (organisation)". A provider has at most two live SRS tokens.
    /// </summary>
    public static async Task<(IssuedToken Token, string For)> IssueVendorTokenAsync(
        IServiceProvider services, string vendor, string? ukprn, string? leadProvider, CancellationToken ct)
    {
        RefuseUnlessEnabled(services.GetRequiredService<IConfiguration>(), "sandbox-token");
        await using (var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(ct))
        {
            if (!await IsMarkedAsync(connection, ct))
            {
                throw new InvalidOperationException($"sandbox-token refuses this database: it is not a sandbox database (no {MarkerTable}). Run sandbox-reset on the sandbox's own database first.");
            }
        }

        if (ukprn is not null)
        {
            var providers = await SendAsync(services, new ListProviderSnapshots(), ct);
            var provider = providers.FirstOrDefault(p => p.Ukprn == ukprn && p.DeletedAt is null)
                ?? throw new InvalidOperationException(
                    $"No provider has the UKPRN {ukprn}. The sandbox's providers: {string.Join(", ", SampleProviders.Select(p => $"{p.Name} {p.Ukprn}"))}.");
            var token = await SendAsync(services, new IssueApiToken($"{vendor} ({provider.OperatingName})", "trainees_api", provider.Id, null), ct);
            return (token, $"{provider.OperatingName}, UKPRN {provider.Ukprn}");
        }

        var leadProviders = await SendAsync(services, new ListLeadProviders(), ct);
        if (leadProvider is null || !leadProviders.TryGetValue(leadProvider, out var leadProviderId))
        {
            throw new InvalidOperationException($"No lead provider is called '{leadProvider}'. The lead providers: {string.Join(", ", leadProviders.Keys)}.");
        }

        var name = leadProviders.Keys.First(k => string.Equals(k, leadProvider, StringComparison.OrdinalIgnoreCase));
        return (await SendAsync(services, new IssueApiToken($"{vendor} ({name})", "lead_provider_api", leadProviderId, null), ct), name);
    }

    /// <summary>Whether the database carries the sandbox marker.</summary>
    public static async Task<bool> IsMarkedAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SELECT to_regclass('{MarkerTable}') IS NOT NULL", connection);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task<SandboxReport> SeedAsync(IServiceProvider services, string vendor, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
        var folder = Directory.CreateTempSubdirectory("register-sandbox-").FullName;
        try
        {
            var providersCsv = Path.Combine(folder, "providers.csv");
            var partnershipsCsv = Path.Combine(folder, "provider-partnerships.csv");
            await File.WriteAllTextAsync(providersCsv, ProvidersCsv(today), ct);
            await File.WriteAllTextAsync(partnershipsCsv, PartnershipsCsv(today), ct);
            var imported = await SendAsync(services, new ImportProviderSeedData(providersCsv), ct);
            var partnered = await SendAsync(services, new ImportPartnershipSeedData(partnershipsCsv), ct);
            if (imported.ProviderRowsFailed > 0 || imported.ProvidersWithIssues > 0 || partnered.Failures.Count > 0)
            {
                throw new InvalidOperationException($"The sandbox's sample providers did not import cleanly: {string.Join("; ", imported.Failures.Concat(partnered.Failures))}");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        var providers = (await SendAsync(services, new ListProviderSnapshots(), ct)).ToDictionary(p => p.Code);
        var hei = providers[Hei.Code];
        var leadProviders = await SendAsync(services, new SeedLeadProviderSandbox(), ct);
        var trainees = await SendAsync(services, new SeedSandboxTrainees(hei.Id, SampleProviders[2].Urn), ct);
        var scittTrainees = await SendAsync(services, new SeedDemoTrainees(providers[Scitt.Code].Id), ct);

        var tokens = new List<SandboxToken>
        {
            new("support", await SendAsync(services, new IssueApiToken("Sandbox support", "support", null, null), ct), "the support API"),
            new("providers_api", await SendAsync(services, new IssueApiToken("Sandbox providers API", "providers_api", null, null), ct), "/api/v0 and /api/v1"),
            new("lead_provider_api", await SendAsync(services, new IssueApiToken($"Sandbox lead provider ({LeadProvider})", "lead_provider_api", leadProviders[LeadProvider], null), ct),
                $"{LeadProvider}, /api/v3"),
            new("trainees_api", await SendAsync(services, new IssueApiToken($"{vendor} ({hei.OperatingName})", "trainees_api", hei.Id, null), ct),
                $"{hei.OperatingName}, UKPRN {hei.Ukprn}"),
        };
        return new SandboxReport(
            SampleProviders.Select(p => providers[p.Code]).ToList(), [.. leadProviders.Keys.Order(StringComparer.Ordinal)], trainees, scittTrainees.Count, tokens, TimeSpan.Zero);
    }

    /// <summary>The sample providers in the reference's seed CSV shape, active from two academic years ago to the next one.</summary>
    internal static string ProvidersCsv(DateOnly today)
    {
        var year = today.Month >= 8 ? today.Year : today.Year - 1;
        var years = string.Join(',', Enumerable.Range(year - 2, 4).Reverse());
        var csv = new StringBuilder(
            "provider_import_notes,provider__operating_name,provider__legal_name,provider__ukprn,provider__urn,provider__code,provider__accreditation_status," +
            "accreditation__number,accreditation__start_date,accreditation__end_date,provider__provider_type,address__address_line_1,address__address_line_2," +
            "address__address_line_3,address__town_or_city,address__county,address__postcode,address__latitude,address__longitude,address__note," +
            "provider__academic_years_active,provider__academic_year_code,address__uprn,row_type,address__found\n");
        foreach (var p in SampleProviders)
        {
            csv.AppendJoin(',',
                "", p.Name, p.Name + " (sandbox sample)", p.Ukprn, p.Urn ?? "", p.Code, p.Status, p.Accreditation ?? "",
                p.Accreditation is null ? "" : $"{year - 6}-09-01T00:00:00Z", "", p.Type, Quoted(p.Line1), "", "", p.Town, "", p.Postcode,
                p.Latitude.ToString(CultureInfo.InvariantCulture), p.Longitude.ToString(CultureInfo.InvariantCulture), "", Quoted(years),
                year.ToString(CultureInfo.InvariantCulture), "", "original", "true");
            csv.Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>The sample partnerships in the reference's seed CSV shape, from last academic year, open-ended.</summary>
    internal static string PartnershipsCsv(DateOnly today)
    {
        var year = today.Month >= 8 ? today.Year : today.Year - 1;
        var csv = new StringBuilder(
            "partnership__accredited_provider_name,partnership__accredited_provider_provider_code,partnership__training_partner_name," +
            "partnership__training_partner_provider_code,partnership__academic_year_code,partnership__academic_years_active,partnership__start_date,partnership__end_date\n");
        var byCode = SampleProviders.ToDictionary(p => p.Code);
        foreach (var (accredited, partner) in SamplePartnerships)
        {
            csv.AppendJoin(',', byCode[accredited].Name, accredited, byCode[partner].Name, partner, year.ToString(CultureInfo.InvariantCulture),
                Quoted($"{year},{year - 1}"), $"{year - 1}-08-01T00:00:00Z", "");
            csv.Append('\n');
        }

        return csv.ToString();
    }

    private static string Quoted(string value) => $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    /// <summary>Every table of the schemas, as <c>schema.table</c> (quoted where it must be).</summary>
    private static async Task<List<string>> TablesAsync(NpgsqlConnection connection, string[] schemas, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables WHERE schemaname = ANY(@schemas) ORDER BY 1", connection);
        command.Parameters.AddWithValue("schemas", schemas);
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    /// <summary>The tables that have at least one row, in one round trip.</summary>
    private static async Task<List<string>> TablesWithRowsAsync(NpgsqlConnection connection, List<string> tables, CancellationToken ct)
    {
        var found = new List<string>();
        if (tables.Count == 0)
        {
            return found;
        }

        var sql = string.Join("\nUNION ALL ", tables.Select(t => $"SELECT '{t.Replace("'", "''", StringComparison.Ordinal)}' WHERE EXISTS (SELECT 1 FROM {t})"));
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            found.Add(reader.GetString(0));
        }

        return found;
    }

    /// <summary>Empties the tables in one statement (so their foreign keys among themselves hold); waits a minute at most for their locks.</summary>
    private static async Task EmptyAsync(NpgsqlConnection connection, List<string> tables, CancellationToken ct)
    {
        if (tables.Count > 0)
        {
            await ExecuteAsync(connection, $"SET lock_timeout = '60s'; TRUNCATE {string.Join(", ", tables)}; RESET lock_timeout", ct);
        }
    }

    private static Task MarkAsync(NpgsqlConnection connection, DateTimeOffset now, CancellationToken ct) =>
        ExecuteAsync(connection,
            $"""
            CREATE TABLE IF NOT EXISTS {MarkerTable} (
                id integer PRIMARY KEY CHECK (id = 1),
                seeded_at timestamptz NOT NULL,
                reset_at timestamptz NOT NULL
            );
            COMMENT ON TABLE {MarkerTable} IS 'This is a sandbox database: sandbox-reset empties it and loads sample data (ADR 19).';
            INSERT INTO {MarkerTable} (id, seeded_at, reset_at) VALUES (1, '{now.UtcDateTime:O}', '{now.UtcDateTime:O}')
            ON CONFLICT (id) DO UPDATE SET reset_at = excluded.reset_at;
            """, ct);

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<T> SendAsync<T>(IServiceProvider services, IRequest<T> request, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(request, ct);
    }
}

/// <summary>A sample provider, as the sandbox's providers file has it.</summary>
internal sealed record SampleProvider(
    string Code, string Name, string Type, string Status, string Ukprn, string? Urn, string? Accreditation, string Line1, string Town, string Postcode,
    decimal Latitude, decimal Longitude);

/// <summary>A token a reset issued: its audience, the token, and what it opens.</summary>
internal sealed record SandboxToken(string Audience, IssuedToken Issued, string For);

/// <summary>What a reset loaded and the tokens it issued.</summary>
internal sealed record SandboxReport(
    IReadOnlyList<ProviderSnapshot> Providers,
    IReadOnlyList<string> LeadProviders,
    IReadOnlyList<SandboxTrainee> Trainees,
    int ScittTrainees,
    IReadOnlyList<SandboxToken> Tokens,
    TimeSpan Elapsed)
{
    /// <summary>What the verb prints.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"The sandbox was emptied and its sample data loaded in {Elapsed.TotalSeconds:0.0} s.");
        text.AppendLine("  Providers:");
        foreach (var p in Providers)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    {p.OperatingName,-27} {p.ProviderType,-6} {p.AccreditationStatus,-12} UKPRN {p.Ukprn}{(p.Urn is null ? "" : $", URN {p.Urn}")}, code {p.Code}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  Lead providers (with the lead provider sandbox's schools, delivery partners and partnerships): {string.Join(", ", LeadProviders)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Trainees of {Sandbox.Hei.Name}, one or more in each state:");
        foreach (var t in Trainees)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    {t.TraineeId}  {t.State,-22} {t.Name}{(t.Trn is null ? "" : $" (TRN {t.Trn})")}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  Trainees of {Sandbox.Scitt.Name}: {ScittTrainees} examples, getting their TRNs.");
        text.AppendLine("  Tokens (shown once; every earlier token has stopped working):");
        foreach (var t in Tokens)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    {t.Audience + ":",-19} {t.Issued.Token}  ('{t.Issued.Name}': {t.For}, valid through {t.Issued.ExpiresOn:yyyy-MM-dd})");
        }

        text.Append("  More vendors' tokens: sandbox-token --vendor NAME --provider UKPRN (or --lead-provider NAME).");
        return text.ToString();
    }
}
