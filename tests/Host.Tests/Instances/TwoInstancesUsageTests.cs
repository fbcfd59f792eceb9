using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Dapper;
using Npgsql;
using Register.TestKit;
using Xunit.Abstractions;

namespace Register.Host.Tests.Instances;

/// <summary>
/// API usage that support sees (issue 16) from two real Register processes on one database: each counts the requests it
/// answers in memory and adds them to <c>access.api_client_usage</c> when it stops (the flush interval here is an hour), and
/// the support API's figures are the sum of what was sent to both, by client, status class and endpoint.
/// </summary>
[Collection(TwoInstancesCollection.Name)]
public sealed class TwoInstancesUsageTests(ITestOutputHelper output)
{
    /// <summary>What one client sends to one process: so many good requests and so many refused ones, to one endpoint each.</summary>
    private sealed record Calls(string Good, int GoodCount, string Refused, int RefusedCount);

    [Fact]
    public async Task The_support_apis_usage_is_the_sum_of_both_processes_requests_counted_when_they_stop()
    {
        var connectionString = await TestDatabase.ConnectionStringAsync($"register_usage_{Guid.NewGuid():N}"[..24]);
        await using var register = new RegisterFactory(connectionString, new Dictionary<string, string?>
        {
            ["Jobs:Enabled"] = "false",
            ["Trs:BackgroundProcessing"] = "false",
            ["Uploads:BackgroundProcessing"] = "false",
            ["ApiUsage:FlushInterval"] = "01:00:00",
        });
        var support = await register.SupportAsync("Two instances support");
        var provider = (await support.CreateAsync(ProviderRequests.Hei("1UT", "University of Two Counts").With("ukprn", "10000072"))).Id();
        var srsToken = await register.IssueTokenAsync("trainees_api", provider, "Two instances SRS");
        var readerToken = await register.IssueTokenAsync("providers_api", null, "Two instances reader");
        var clients = (await (await support.GetAsync("/support/api-clients")).BodyAsync()).GetProperty("data").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("id").GetGuid());

        string[] settings =
        [
            $"--ConnectionStrings:Register={connectionString}",
            $"--Tokens:HashKey={RegisterFactory.TokenHashKey}",
            "--Serilog:MinimumLevel:Default=Warning",
            "--ApiUsage:FlushInterval=01:00:00",
            "--Jobs:Enabled=false",
            "--Trs:BackgroundProcessing=false",
            "--Uploads:BackgroundProcessing=false",
            "--RateLimits:trainees_api:TokenPermitLimit=100000",
            "--RateLimits:providers_api:TokenPermitLimit=100000",
        ];
        await using var a = RegisterProcess.Start("process A", settings);
        await using var b = RegisterProcess.Start("process B", settings);
        await Task.WhenAll(a.WaitUntilReadyAsync(TimeSpan.FromSeconds(90)), b.WaitUntilReadyAsync(TimeSpan.FromSeconds(90)));

        // "No trainees found" is the trainee API's 404 for an empty list; page=0 the providers API's 400.
        var srsCalls = new Calls("/api/v2026.1/trainee-uploads/template", 0, "/api/v2026.1/trainees", 0);
        var readerCalls = new Calls("/api/v1/providers", 0, "/api/v1/providers?page=0", 0);
        var sent = new[]
        {
            (Process: a, Token: srsToken, Calls: srsCalls with { GoodCount = 7, RefusedCount = 3 }),
            (Process: b, Token: srsToken, Calls: srsCalls with { GoodCount = 5, RefusedCount = 2 }),
            (Process: a, Token: readerToken, Calls: readerCalls with { GoodCount = 4, RefusedCount = 0 }),
            (Process: b, Token: readerToken, Calls: readerCalls with { GoodCount = 6, RefusedCount = 1 }),
        };
        await Task.WhenAll(sent.Select(s => SendAsync(s.Process, s.Token, s.Calls)));

        // Nothing is in the database yet: each process holds its counts until it stops.
        Assert.Equal(0, await TotalAsync(support, clients["Two instances SRS"]));
        await Task.WhenAll(a.StopAsync(TimeSpan.FromSeconds(30)), b.StopAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal((0, 0), (a.ExitCode, b.ExitCode));

        var srs = await SummaryAsync(support, clients["Two instances SRS"]);
        var reader = await SummaryAsync(support, clients["Two instances reader"]);
        Assert.Equal((7L + 5 + 3 + 2, 3L + 2), srs);
        Assert.Equal((4L + 6 + 1, 1L), reader);

        var rows = (await (await support.GetAsync($"/support/api-usage?client_id={clients["Two instances SRS"]}")).BodyAsync()).GetProperty("data").EnumerateArray()
            .Select(r => (r.GetProperty("endpoint").GetString(), r.GetProperty("status_class").GetString(), r.GetProperty("requests").GetInt32())).ToList();
        Assert.Equal([("/api/v2026.1/trainee-uploads/template", "2xx", 12), ("/api/v2026.1/trainees", "4xx", 5)], rows);

        // One row per key however many processes added to it.
        await using var db = new NpgsqlConnection(connectionString);
        Assert.Equal(4L, await db.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM access.api_client_usage WHERE client_id = ANY(@ids)", new { ids = new[] { clients["Two instances SRS"], clients["Two instances reader"] } }));
        output.WriteLine($"SRS: {srs.Requests} requests ({srs.Errors} errors); reader: {reader.Requests} ({reader.Errors}), from two processes, saved as they stopped.");
    }

    private static async Task SendAsync(RegisterProcess process, string token, Calls calls)
    {
        using var client = new HttpClient { BaseAddress = process.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        for (var i = 0; i < calls.GoodCount; i++)
        {
            var response = await client.GetAsync(new Uri(calls.Good, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{calls.Good}: {response.StatusCode}");
        }

        for (var i = 0; i < calls.RefusedCount; i++)
        {
            var response = await client.GetAsync(new Uri(calls.Refused, UriKind.Relative));
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"{calls.Refused}: {response.StatusCode}");
        }
    }

    private static async Task<(long Requests, long Errors)> SummaryAsync(HttpClient support, Guid client)
    {
        var response = await support.GetAsync($"/support/api-usage/clients?client_id={client}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = (await response.BodyAsync()).GetProperty("data").EnumerateArray().Single();
        Assert.Equal(JsonValueKind.Number, data.GetProperty("requests").ValueKind);
        return (data.GetProperty("requests").GetInt64(), data.GetProperty("errors").GetInt64());
    }

    private static async Task<long> TotalAsync(HttpClient support, Guid client) => (await SummaryAsync(support, client)).Requests;
}
