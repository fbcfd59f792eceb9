using System.Net.Http.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Register.BuildingBlocks.Outbox;
using Register.TestKit;

namespace Register.Host.Tests.Outbox;

/// <summary>
/// A change and its notification commit together; the notification is delivered after commit, and exactly
/// once even when the process dies before it could dispatch, or after a consumer ran but before the outbox
/// recorded it.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class OutboxTests(HostFixture fixture) : ApiTest<HostFixture>(fixture)
{
    [Fact]
    public async Task A_notification_committed_before_a_crash_is_delivered_exactly_once_after_restart()
    {
        var support = await Api.SupportAsync();
        var activityBefore = await CountAsync("SELECT count(*) FROM activity_log.activity_items");

        // A process whose dispatcher never runs: the change commits with its outbox row, then the process "dies".
        await using (var crashing = new RegisterFactory(Api.ConnectionString, new Dictionary<string, string?>
        {
            ["Outbox:DispatchAfterCommit"] = "false",
            ["Outbox:BackgroundDispatch"] = "false",
        }))
        {
            var client = crashing.CreateClient();
            client.DefaultRequestHeaders.Authorization = support.DefaultRequestHeaders.Authorization;
            (await client.PostAsJsonAsync("/support/api-clients", new { name = "Made before the crash", audience = "providers_api" })).EnsureSuccessStatusCode();
        }

        Assert.Equal(1, await CountAsync("SELECT count(*) FROM access.outbox WHERE dispatched_at IS NULL"));
        Assert.Equal(activityBefore, await CountAsync("SELECT count(*) FROM activity_log.activity_items"));

        // The next process delivers what was left, at startup.
        await using (var restarted = new RegisterFactory(Api.ConnectionString, new Dictionary<string, string?>
        {
            ["Outbox:BackgroundDispatch"] = "true",
        }))
        {
            restarted.CreateClient().Dispose();
            await WaitUntilAsync(async () => await CountAsync("SELECT count(*) FROM access.outbox WHERE dispatched_at IS NULL") == 0);
        }

        Assert.Equal(activityBefore + 1, await CountAsync("SELECT count(*) FROM activity_log.activity_items"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM activity_log.activity_items WHERE changes::text LIKE '%Made before the crash%'"));

        // A crash after the consumer ran but before the outbox marked the row: it is published again, and ignored.
        await ExecuteAsync("UPDATE access.outbox SET dispatched_at = NULL");
        var redelivered = await Api.Factory.Services.GetRequiredService<OutboxDispatcher>().DispatchAllPendingAsync();

        Assert.Equal(2, redelivered);
        Assert.Equal(activityBefore + 1, await CountAsync("SELECT count(*) FROM activity_log.activity_items"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM access.outbox WHERE dispatched_at IS NULL"));
    }

    [Fact]
    public async Task A_failed_change_writes_neither_the_record_nor_its_notification()
    {
        var support = await Api.SupportAsync();
        var outboxBefore = await CountAsync("SELECT count(*) FROM access.outbox");

        await support.PostAsJsonAsync("/support/api-clients", new { name = "Twice", audience = "providers_api" });
        var duplicate = await support.PostAsJsonAsync("/support/api-clients", new { name = "twice", audience = "providers_api" });

        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, duplicate.StatusCode);
        Assert.Equal(outboxBefore + 1, await CountAsync("SELECT count(*) FROM access.outbox"));
    }

    [Fact]
    public async Task An_event_no_consumer_can_read_is_kept_and_retried_later_without_failing_the_request()
    {
        var support = await Api.SupportAsync();
        await ExecuteAsync(
            "INSERT INTO access.outbox (id, type, payload, occurred_at) VALUES (gen_random_uuid(), 'Register.Unknown.Event', '{}', now())");

        var created = await support.PostAsJsonAsync("/support/api-clients", new { name = "Still works", audience = "providers_api" });

        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(1, await CountAsync(
            "SELECT count(*) FROM access.outbox WHERE dispatched_at IS NULL AND attempts = 1 AND next_attempt_at > now() AND last_error LIKE '%Register.Unknown.Event%'"));
    }

    [Fact]
    public async Task A_batch_consumer_takes_a_dispatchs_events_in_one_call_and_an_event_it_fails_on_holds_back_only_itself()
    {
        var support = await Api.SupportAsync();
        var consumer = new RefusingConsumer();
        var names = new[] { "Batch one", "Batch poison", "Batch three" }.Select(n => $"{n} {Guid.NewGuid():N}").ToArray();
        await using var quiet = new RegisterFactory(Api.ConnectionString, new Dictionary<string, string?>
        {
            ["Outbox:DispatchAfterCommit"] = "false",
            ["Outbox:BackgroundDispatch"] = "false",
        }, s => s.AddSingleton<IIntegrationEventBatchConsumer>(consumer));
        var client = quiet.CreateClient();
        client.DefaultRequestHeaders.Authorization = support.DefaultRequestHeaders.Authorization;
        foreach (var name in names)
        {
            (await client.PostAsJsonAsync("/support/api-clients", new { name, audience = "providers_api" })).EnsureSuccessStatusCode();
        }

        await quiet.Services.GetRequiredService<OutboxDispatcher>().DispatchPendingAsync("access");

        // One call with the three events; it failed, so each was handed over alone, and only the poison one failed again.
        Assert.Subset(consumer.Calls[0].ToHashSet(), names.ToHashSet());
        Assert.Equal(names, consumer.Calls.Skip(1).Where(c => c.Count == 1 && names.Contains(c[0])).Select(c => c[0]).ToArray());
        var rows = (await ReadAsync<(string Name, bool Dispatched, int Attempts, string? LastError)>(
            "SELECT payload->>'name', dispatched_at IS NOT NULL, attempts, last_error FROM access.outbox WHERE payload->>'name' = ANY(@names)", new { names })).ToDictionary(r => r.Name);
        Assert.True(rows[names[0]].Dispatched);
        Assert.True(rows[names[2]].Dispatched);
        Assert.False(rows[names[1]].Dispatched);
        Assert.Equal(1, rows[names[1]].Attempts);
        Assert.Contains("refuses", rows[names[1]].LastError);
        // The activity log, another batch consumer of the same events, recorded all three; a retry of the poison one adds none.
        Assert.Equal(3, await CountAsync($"SELECT count(*) FROM activity_log.activity_items WHERE record_name IN ('{string.Join("','", names)}')"));
    }

    [Fact]
    public async Task Changes_of_one_provider_dispatched_in_one_batch_leave_every_modules_copy_at_the_newest()
    {
        var support = await Api.SupportAsync();
        await using var quiet = new RegisterFactory(Api.ConnectionString, new Dictionary<string, string?>
        {
            ["Outbox:DispatchAfterCommit"] = "false",
            ["Outbox:BackgroundDispatch"] = "false",
        });
        var client = quiet.CreateClient();
        client.DefaultRequestHeaders.Authorization = support.DefaultRequestHeaders.Authorization;
        var id = (await client.CreateAsync(ProviderRequests.Hei("9BQ", "Batch University").With("ukprn", "10098765"))).Id();
        foreach (var name in new[] { "Batch University Renamed", "Batch University Newest" })
        {
            (await client.PatchAsJsonAsync($"/support/providers/{id}", new { operating_name = name })).EnsureSuccessStatusCode();
        }

        await quiet.Services.GetRequiredService<OutboxDispatcher>().DispatchPendingAsync("providers");

        var copies = (await ReadAsync<string>(
            """
            SELECT name FROM trainees.providers WHERE id = @id
            UNION ALL SELECT operating_name FROM partnerships.partner_providers WHERE id = @id
            UNION ALL SELECT operating_name FROM activity_log.provider_names WHERE id = @id
            """, new { id })).ToList();
        Assert.Equal(["Batch University Newest", "Batch University Newest", "Batch University Newest"], copies);
        Assert.Equal(3, await CountAsync($"SELECT count(*) FROM activity_log.activity_items WHERE record_type = 'provider' AND record_id = '{id}'"));
    }

    /// <summary>A batch consumer that writes down the names of the API clients in each call, and refuses a call holding "Batch poison".</summary>
    private sealed class RefusingConsumer : IIntegrationEventBatchConsumer
    {
        public List<List<string>> Calls { get; } = [];

        public ValueTask ConsumeAsync(IReadOnlyList<BuildingBlocks.Contracts.IIntegrationEvent> events, CancellationToken ct)
        {
            var names = events.OfType<Register.Access.Contracts.ApiClientChanged>().Select(e => e.Name).ToList();
            Calls.Add(names);
            return names.Exists(n => n.StartsWith("Batch poison", StringComparison.Ordinal))
                ? throw new InvalidOperationException("This consumer refuses the poison event.")
                : ValueTask.CompletedTask;
        }
    }

    private async Task<IEnumerable<T>> ReadAsync<T>(string sql, object parameters)
    {
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        return await connection.QueryAsync<T>(sql, parameters);
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        await connection.ExecuteAsync(sql);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The outbox was not dispatched within 15 seconds.");
            await Task.Delay(50);
        }
    }
}
