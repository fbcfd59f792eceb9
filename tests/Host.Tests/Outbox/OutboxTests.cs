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
