using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;
using Register.TestKit;
using Xunit.Abstractions;

namespace Register.Host.Tests.Instances;

/// <summary>
/// Two real Register processes on one database, as behind a load balancer, both running every background worker and
/// scheduled job (docs/adr/0015): work is made through both processes' APIs, and each piece of background work is done
/// once — each outbox row delivered once, each TRS request and upload run once, each due time of each scheduled job run
/// once, and the API usage both count adding up.
/// </summary>
[Collection(TwoInstancesCollection.Name)]
public sealed class TwoInstancesTests(ITestOutputHelper output)
{
    private static readonly string[] DailyJobs = ["accreditation_status_sync", "participants_training_touch", "api_usage_prune"];
    private static readonly string[] Outboxes = ["access", "providers", "trainees", "partnerships"];
    private const int BackupSeconds = 4;

    private int _srsRequests;

    [Fact]
    public async Task Two_processes_on_one_database_do_each_piece_of_background_work_once()
    {
        var elapsed = Stopwatch.StartNew();
        var connectionString = await TestDatabase.ConnectionStringAsync($"register_two_{Guid.NewGuid():N}"[..24]);
        var backups = Directory.CreateTempSubdirectory("register-two-instances-backups-").FullName;
        try
        {
            // First an in-process Register that runs no background work makes the tokens, a training provider, and a SCITT
            // whose status its accreditations no longer give (only the daily sync notices). Then both processes start
            // together; their daily jobs are due 20 seconds later (London time), and a backup every 4 seconds.
            var (supportToken, srsToken, scittId) = await SetupAsync(connectionString);
            var setupDone = elapsed.Elapsed;
            var london = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, BuildingBlocks.LondonTime.London).AddSeconds(20);
            var runsAt = london.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
            var dueToday = BuildingBlocks.LondonTime.At(DateOnly.FromDateTime(london.DateTime), TimeOnly.FromTimeSpan(london.TimeOfDay).Add(TimeSpan.FromTicks(-(london.TimeOfDay.Ticks % TimeSpan.TicksPerSecond))));
            var settings = Settings(connectionString, backups, runsAt).ToList();
            await using var a = RegisterProcess.Start("process A", settings);
            await using var b = RegisterProcess.Start("process B", settings);
            await Task.WhenAll(a.WaitUntilReadyAsync(TimeSpan.FromSeconds(90)), b.WaitUntilReadyAsync(TimeSpan.FromSeconds(90)));
            var ready = elapsed.Elapsed;

            var supportA = Client(a, supportToken);
            var supportB = Client(b, supportToken);
            var srsA = Client(a, srsToken);
            var srsB = Client(b, srsToken);

            // Changes through both processes at once: providers made on one and renamed on the other, API clients, trainees
            // (each queues a TRN request), and CSV uploads (a dry run, then a submit through the other process).
            var template = (await SrsAsync(srsA, c => c.GetAsync(new Uri("/api/v2026.1/trainee-uploads/template", UriKind.Relative)))).Content;
            var header = (await template.ReadAsStringAsync()).Trim().Split(',');
            var providers = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => CreateProviderAsync(i % 2 == 0 ? supportA : supportB, i)));
            await Task.WhenAll(providers.Select((id, i) => RenameAsync(i % 2 == 0 ? supportB : supportA, id, i)));
            await Task.WhenAll(Enumerable.Range(0, 4).Select(i => CreateApiClientAsync(i % 2 == 0 ? supportA : supportB, i)));
            await Task.WhenAll(Enumerable.Range(0, 12).Select(i => CreateTraineeAsync(i % 2 == 0 ? srsA : srsB, i)));
            var uploads = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => UploadAsync(i % 2 == 0 ? srsA : srsB, header, i)));
            await WaitUntilAsync("every upload is validated", async () =>
                (await Task.WhenAll(uploads.Select(u => StatusAsync(srsA, u)))).All(s => s == "validated"));
            await Task.WhenAll(uploads.Select((u, i) => SubmitAsync(i % 2 == 0 ? srsB : srsA, u)));
            await WaitUntilAsync("every upload has succeeded", async () =>
                (await Task.WhenAll(uploads.Select(u => StatusAsync(srsB, u)))).All(s => s == "succeeded"));
            const int trainees = 12 + (4 * 3);
            var worked = elapsed.Elapsed;

            // Then everything owed in the background is done: the daily jobs' runs at the time set, three backups, every
            // TRN, every notification, and both processes' usage counts.
            await using var db = new NpgsqlConnection(connectionString);
            await WaitUntilAsync("the daily jobs ran at the time set, and three backups were taken", async () =>
                await db.ExecuteScalarAsync<long>("SELECT count(DISTINCT job) FROM jobs.job_runs WHERE job = ANY(@DailyJobs) AND due_at > now() - interval '1 hour'", new { DailyJobs }) == DailyJobs.Length
                && await db.ExecuteScalarAsync<long>("SELECT count(*) FROM jobs.job_runs WHERE job = 'scheduled_backup'") >= 3);
            // Each TRN received owes TRS the route: two requests a trainee.
            await WaitUntilAsync("every TRN request and route is done", async () =>
                await db.ExecuteScalarAsync<long>("SELECT count(*) FILTER (WHERE completed_at IS NOT NULL) - count(*) FROM trainees.trs_requests") == 0
                && await db.ExecuteScalarAsync<long>("SELECT count(*) FROM trainees.trs_requests") == 2 * trainees);
            await WaitUntilAsync("every notification is delivered", async () => await PendingAsync(db) == 0);
            await WaitUntilAsync("both processes' API usage is saved", async () =>
                await db.ExecuteScalarAsync<long>("SELECT coalesce(sum(requests), 0) FROM access.api_client_usage u JOIN access.api_clients c ON c.id = u.client_id WHERE c.audience = 'trainees_api'") == Volatile.Read(ref _srsRequests));
            var settled = elapsed.Elapsed;
            output.WriteLine($"phases: setup {setupDone.TotalSeconds:0.0} s, ready {ready.TotalSeconds:0.0} s, work {worked.TotalSeconds:0.0} s, settled {settled.TotalSeconds:0.0} s");

            // Each outbox row delivered once: dispatched, by one claim (attempts = 1), and in the activity log once.
            var outbox = (await db.QueryAsync<(string Schema, long Rows, long Dispatched, long Once)>(string.Join(" UNION ALL ", Outboxes.Select(s =>
                $"SELECT '{s}', count(*), count(dispatched_at), count(*) FILTER (WHERE attempts = 1) FROM {s}.outbox")))).ToList();
            var rows = outbox.Sum(o => o.Rows);
            var activity = await db.ExecuteScalarAsync<long>(
                $"SELECT count(*) FROM activity_log.activity_items WHERE event_id IN ({string.Join(" UNION ALL ", Outboxes.Select(s => $"SELECT id FROM {s}.outbox"))})");
            Assert.All(outbox, o => Assert.Equal((o.Rows, o.Rows), (o.Dispatched, o.Once)));
            Assert.Equal(rows, activity);
            Assert.Equal(rows, await db.ExecuteScalarAsync<long>("SELECT count(*) FROM activity_log.activity_items"));

            // Each TRN request and upload run once: one attempt each, one TRN each, no TRN used twice or wasted.
            var trs = await db.QuerySingleAsync<(long Requests, long OneAttempt, long Trns, long DistinctTrns, long Issued)>(
                """
                SELECT (SELECT count(*) FROM trainees.trs_requests WHERE kind = 'trn'), (SELECT count(*) FROM trainees.trs_requests WHERE kind = 'trn' AND attempts = 1),
                       (SELECT count(trn) FROM trainees.trainees), (SELECT count(DISTINCT trn) FROM trainees.trainees),
                       (SELECT last_value - 2000000 FROM trainees.simulated_trns)
                """);
            Assert.Equal((trainees, trainees, trainees, trainees, trainees), (trs.Requests, trs.OneAttempt, trs.Trns, trs.DistinctTrns, trs.Issued));
            Assert.Equal((trainees, trainees), await db.QuerySingleAsync<(long, long)>(
                "SELECT count(*), count(*) FILTER (WHERE attempts = 1) FROM trainees.trs_requests WHERE kind = 'route'"));
            Assert.Equal(trainees, await db.ExecuteScalarAsync<long>("SELECT count(*) FROM activity_log.activity_items WHERE record_type = 'trainee' AND action = 'trn_received'"));
            var uploadMoves = await db.QueryAsync<long>(
                "SELECT count(*) FROM activity_log.activity_items WHERE record_type = 'trainee_upload' GROUP BY record_id");
            Assert.Equal(Enumerable.Repeat(4L, uploads.Length), uploadMoves); // made, validated, submitted, succeeded
            Assert.Equal((4L * 3, 4L * 3), await db.QuerySingleAsync<(long, long)>(
                "SELECT count(*), count(trainee_slug) FROM trainees.trainee_upload_rows"));

            // Each due time of each scheduled job run once: one row per due time, one log line per row across both
            // processes, and the effect once (the SCITT's status followed its accreditations, with one activity item).
            var runs = (await db.QueryAsync<(string Job, DateTime DueAt, string Instance)>("SELECT job, due_at, instance FROM jobs.job_runs ORDER BY job, due_at")).ToList();
            var logged = a.LogEvents.Select(e => (Process: a.Name, Event: e)).Concat(b.LogEvents.Select(e => (Process: b.Name, Event: e)))
                .Where(e => e.Event.TryGetProperty("Job", out _) && e.Event.TryGetProperty("Changed", out _))
                .Select(e => (e.Process, Job: e.Event.GetProperty("Job").GetString()!, DueAt: e.Event.GetProperty("DueAt").GetDateTimeOffset()))
                .ToList();
            // Today's time set, run once each; before it, yesterday's run at startup by one process (Register was "down" then),
            // unless the processes took so long to start that today's time had passed, and was the one caught up. The SCITT
            // was made stale before today's time, so one of the runs changed it.
            foreach (var job in DailyJobs)
            {
                Assert.Single(runs, r => r.Job == job && new DateTimeOffset(r.DueAt, TimeSpan.Zero) == dueToday);
                Assert.InRange(runs.Count(r => r.Job == job), 1, 2);
            }

            // Backups go on every few seconds while this reads, so one can be logged after the runs were read: they are
            // compared with their files once both processes have stopped, below.
            var jobRuns = runs.Where(r => r.Job != "scheduled_backup").Select(r => (r.Job, new DateTimeOffset(r.DueAt, TimeSpan.Zero))).Order().ToList();
            Assert.Equal(jobRuns, logged.Where(l => l.Job != "scheduled_backup").Select(l => (l.Job, l.DueAt.ToUniversalTime())).Order());
            var scitt = await db.QuerySingleAsync<(string Status, string Type)>("SELECT accreditation_status, provider_type FROM providers.providers WHERE id = @scittId", new { scittId });
            Assert.Equal(("unaccredited", "school"), scitt);
            Assert.Equal(1, await db.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM activity_log.activity_items WHERE record_id = @scittId AND action = 'updated' AND changes::text LIKE '%accreditation_status%'", new { scittId }));

            // Each backup due time taken once: as many dump files as runs, each in its own 4-second slot. Counted once both
            // processes have stopped (a stop lets a backup under way finish and record its run), so none is half done.
            await Task.WhenAll(a.StopAsync(TimeSpan.FromSeconds(20)), b.StopAsync(TimeSpan.FromSeconds(20)));
            var dumps = Directory.GetFiles(backups, "register-*.dump").Select(f => DateTimeOffset.ParseExact(
                Path.GetFileNameWithoutExtension(f)["register-".Length..], "yyyy-MM-ddTHHmmss.fffZ", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)).ToList();
            var backupRuns = await db.ExecuteScalarAsync<long>("SELECT count(*) FROM jobs.job_runs WHERE job = 'scheduled_backup'");
            Assert.Equal(backupRuns, dumps.Count);
            Assert.Equal(dumps.Count, dumps.Select(d => d.ToUnixTimeSeconds() / BackupSeconds).Distinct().Count());

            // And neither process logged an error.
            var errors = a.LogEvents.Concat(b.LogEvents).Where(e => e.TryGetProperty("@l", out var level) && level.GetString() is "Error" or "Fatal").ToList();
            Assert.True(errors.Count == 0, string.Join('\n', errors));

            var byProcess = logged.GroupBy(l => l.Process).ToDictionary(g => g.Key, g => g.Count());
            var backgroundDeliveries = new[] { a, b }.Select(p => (p.Name, Count: p.LogEvents
                .Where(e => e.TryGetProperty("@m", out var message) && message.GetString()!.StartsWith("Outbox: delivered", StringComparison.Ordinal))
                .Sum(e => e.GetProperty("Count").GetInt32()))).ToList();
            output.WriteLine($"Ready after {ready.TotalSeconds:0.0} s; all background work done after {settled.TotalSeconds:0.0} s.");
            output.WriteLine($"Outbox: {rows} rows ({string.Join(", ", outbox.Select(o => $"{o.Schema} {o.Rows}"))}), each dispatched once (attempts = 1), {activity} activity items; " +
                $"by the background loops: {string.Join(", ", backgroundDeliveries.Select(d => $"{d.Name} {d.Count}"))}, the rest right after their requests' commits.");
            output.WriteLine($"TRS: {trs.Requests} requests, each done in one attempt; {trs.DistinctTrns} distinct TRNs, {trs.Issued} issued by the simulator.");
            output.WriteLine($"Uploads: {uploads.Length} (a dry run and a submit each), 4 activity items each; {4 * 3} trainees made from their rows.");
            output.WriteLine($"Scheduled job runs: {runs.Count} due times ({string.Join(", ", runs.GroupBy(r => r.Job).Select(g => $"{g.Key} {g.Count()}"))}), " +
                $"each run by one process ({string.Join(", ", byProcess.Select(p => $"{p.Key} {p.Value}"))}); {dumps.Count} backup files.");
            output.WriteLine($"API usage: {Volatile.Read(ref _srsRequests)} trainee API requests counted by both processes, all saved.");

            output.WriteLine($"Stopped with SIGTERM: exit codes {a.ExitCode} and {b.ExitCode}; {elapsed.Elapsed.TotalSeconds:0.0} s in all.");
        }
        finally
        {
            Directory.Delete(backups, recursive: true);
        }
    }

    private static async Task<(string Support, string Srs, Guid Scitt)> SetupAsync(string connectionString)
    {
        await using var setup = new RegisterFactory(connectionString, new Dictionary<string, string?>
        {
            ["Jobs:Enabled"] = "false",
            ["Trs:BackgroundProcessing"] = "false",
            ["Uploads:BackgroundProcessing"] = "false",
        });
        var supportToken = await setup.IssueTokenAsync("support");
        var support = setup.WithToken(supportToken);
        var providerId = (await support.CreateAsync(ProviderRequests.Hei("1TI", "University of Two Instances").With("ukprn", "10000009"))).Id();
        var scittId = (await support.CreateAsync(ProviderRequests.Scitt("5TI", "Two Instances SCITT"))).Id();
        var srsToken = await setup.IssueTokenAsync("trainees_api", providerId);
        await ExecuteAsync(connectionString, "UPDATE providers.accreditations SET end_date = current_date - 2 WHERE provider_id = @scittId", new { scittId });
        return (supportToken, srsToken, scittId);
    }

    private static IEnumerable<string> Settings(string connectionString, string backups, string runsAt)
    {
        string[] settings =
        [
            $"--ConnectionStrings:Register={connectionString}",
            $"--Tokens:HashKey={RegisterFactory.TokenHashKey}",
            "--Serilog:MinimumLevel:Default=Warning",
            "--Serilog:MinimumLevel:Override:Register=Information",
            "--Outbox:PollInterval=00:00:00.200",
            "--Trs:TrnDelay=00:00:01",
            "--Trs:PollInterval=00:00:00.200",
            "--Uploads:PollInterval=00:00:00.200",
            "--ApiUsage:FlushInterval=00:00:01",
            $"--Backups:Directory={backups}",
            $"--Backups:Interval=00:00:0{BackupSeconds}",
            "--Backups:Keep=1000",
        ];
        var limits = new[] { "support", "trainees_api", "per_ip" }.SelectMany(audience => new[]
        {
            $"--RateLimits:{audience}:TokenPermitLimit=100000", $"--RateLimits:{audience}:AnonymousPermitLimit=100000",
        });
        return settings.Concat(limits).Concat(DailyJobs.Select(job => $"--Jobs:{job}:RunsAt={runsAt}"));
    }

    private static HttpClient Client(RegisterProcess process, string token)
    {
        var client = new HttpClient { BaseAddress = process.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A trainee API request, counted: the processes' usage counts must add up to these.</summary>
    private async Task<HttpResponseMessage> SrsAsync(HttpClient srs, Func<HttpClient, Task<HttpResponseMessage>> send)
    {
        Interlocked.Increment(ref _srsRequests);
        var response = await send(srs);
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    private static async Task<Guid> CreateProviderAsync(HttpClient support, int i)
    {
        var code = $"{(char)('A' + i)}{i % 10}X";
        return (await support.CreateAsync(ProviderRequests.Hei(code, $"University {i}").With("ukprn", $"1002{i:0000}"))).Id();
    }

    private static async Task RenameAsync(HttpClient support, Guid id, int i)
    {
        var response = await support.PatchAsJsonAsync($"/support/providers/{id}", new { operating_name = $"Renamed University {i}" });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task CreateApiClientAsync(HttpClient support, int i)
    {
        var response = await support.PostAsJsonAsync("/support/api-clients", new { name = $"Two instances client {i}", audience = "providers_api" });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private Task<HttpResponseMessage> CreateTraineeAsync(HttpClient srs, int i) =>
        SrsAsync(srs, c => c.PostAsJsonAsync("/api/v2026.1/trainees", new
        {
            data = TraineeRequests.Valid(TraineeRequests.CurrentCycle).With("first_names", $"Api{i}").With("last_name", $"Trainee{i}").With("email", $"api{i}@example.com"),
        }));

    /// <summary>An upload of three valid rows for the current academic cycle; returns its id.</summary>
    private async Task<string> UploadAsync(HttpClient srs, string[] header, int upload)
    {
        var csv = TraineeCsv.Make(Enumerable.Range(upload * 10, 3).Select(n => TraineeCsv.Row(n, TraineeRequests.CurrentCycle)), header);

        var response = await SrsAsync(srs, c => c.PostAsync(new Uri("/api/v2026.1/trainee-uploads?file_name=two-instances.csv", UriKind.Relative),
            new StringContent(csv, Encoding.UTF8, "text/csv")));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.BodyAsync()).GetProperty("data").GetProperty("upload_id").GetString()!;
    }

    private async Task<string> StatusAsync(HttpClient srs, string upload)
    {
        var response = await SrsAsync(srs, c => c.GetAsync(new Uri($"/api/v2026.1/trainee-uploads/{upload}", UriKind.Relative)));
        var data = (await response.BodyAsync()).GetProperty("data");
        var status = data.GetProperty("status").GetString()!;
        Assert.True(status is not ("failed" or "cancelled"), data.ToString());
        return status;
    }

    private Task<HttpResponseMessage> SubmitAsync(HttpClient srs, string upload) =>
        SrsAsync(srs, c => c.PostAsync(new Uri($"/api/v2026.1/trainee-uploads/{upload}/submit", UriKind.Relative), null));

    private static Task<long> PendingAsync(NpgsqlConnection db) =>
        db.ExecuteScalarAsync<long>($"SELECT {string.Join(" + ", Outboxes.Select(s => $"(SELECT count(*) FROM {s}.outbox WHERE dispatched_at IS NULL)"))}");

    private static async Task ExecuteAsync(string connectionString, string sql, object parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.ExecuteAsync(sql, parameters);
    }

    private static async Task WaitUntilAsync(string what, Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not within a minute: {what}");
            await Task.Delay(200);
        }
    }
}

/// <summary>Two Host processes want the machine's cores to themselves: this collection runs alone, after the others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TwoInstancesCollection
{
    public const string Name = "two instances";
}
