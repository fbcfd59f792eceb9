using System.Net.Http.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Register.BuildingBlocks.Outbox;
using Register.TestKit;

namespace Register.ActivityLog.Tests;

/// <summary>A change and its activity items cannot diverge: a process that dies after commit loses nothing, and a replay adds nothing.</summary>
[Collection(ActivityLogCollection.Name)]
public sealed class NothingLostTests(ActivityLogFixture fixture) : ApiTest<ActivityLogFixture>(fixture)
{
    [Fact]
    public async Task Changes_committed_before_a_crash_reach_the_log_once_after_restart()
    {
        var support = await Api.SupportAsync();
        Guid providerId;
        await using (var dying = new RegisterFactory(Api.ConnectionString, new Dictionary<string, string?>
        {
            ["Outbox:DispatchAfterCommit"] = "false",
            ["Outbox:BackgroundDispatch"] = "false",
        }))
        {
            var client = dying.CreateClient();
            client.DefaultRequestHeaders.Authorization = support.DefaultRequestHeaders.Authorization;
            providerId = (await client.CreateAsync(ProviderRequests.Scitt())).Id();
            await client.PostAsJsonAsync($"/support/providers/{providerId}/contacts", new { first_name = "A", last_name = "B", email = "ab@example.com" });
        }

        Assert.Empty(await support.ItemsAsync($"/support/providers/{providerId}/activity"));

        await using (var restarted = new RegisterFactory(Api.ConnectionString, new Dictionary<string, string?> { ["Outbox:BackgroundDispatch"] = "true" }))
        {
            restarted.CreateClient().Dispose();
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while ((await support.ItemsAsync($"/support/providers/{providerId}/activity")).Count < 4)
            {
                Assert.True(DateTime.UtcNow < deadline, "The restarted process did not deliver what the first one left.");
                await Task.Delay(50);
            }
        }

        var expected = new[] { "Provider contact added", "Provider address added", "Provider accreditation added", "Provider added" };
        Assert.Equal(expected, (await support.ItemsAsync($"/support/providers/{providerId}/activity")).Select(i => i.Text("headline")));

        // Replaying every notification (a crash between the consumer and the outbox's bookkeeping) adds nothing.
        await using (var connection = new NpgsqlConnection(Api.ConnectionString))
        {
            await connection.ExecuteAsync("UPDATE providers.outbox SET dispatched_at = NULL");
        }

        await Api.Factory.Services.GetRequiredService<OutboxDispatcher>().DispatchAllPendingAsync();
        Assert.Equal(expected, (await support.ItemsAsync($"/support/providers/{providerId}/activity")).Select(i => i.Text("headline")));
    }
}
