using Dapper;
using Npgsql;
using Register.TestKit;

namespace Register.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class UsageJourneyTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_support_user_opens_the_usage_dashboard_from_the_navigation()
    {
        // A provider's SRS client with usage this week (as the recorder adds it), and a client never used.
        var support = await Api.SupportAsync();
        var provider = (await support.CreateAsync(ProviderRequests.Hei("1UB", "University of Browsing").With("ukprn", "10000073"))).Id();
        await Api.CreateTokenAsync(support, "trainees_api", provider, "Browsing SRS");
        await Api.CreateTokenAsync(support, "providers_api", null, "Idle reader");
        await using (var db = new NpgsqlConnection(Api.ConnectionString))
        {
            await db.ExecuteAsync(
                """
                INSERT INTO access.api_client_usage (client_id, day, endpoint, status_class, requests)
                SELECT id, (now() AT TIME ZONE 'Europe/London')::date, '/api/v2026.1/trainees', s.class, s.requests
                FROM access.api_clients, (VALUES (2::smallint, 40), (4::smallint, 10)) AS s(class, requests) WHERE name = 'Browsing SRS';
                UPDATE access.api_clients SET last_used_at = now() WHERE name = 'Browsing SRS';
                """);
        }

        var page = await SignInAsync(first: "Uma");
        await ClickLinkAsync(page, "Usage");

        Assert.Equal("Usage", await HeadingAsync(page));
        Assert.Contains("University of Browsing", await page.Locator("#providers").InnerTextAsync());
        Assert.Contains("20%", await page.Locator("#clients").InnerTextAsync());
        Assert.Contains("Idle reader", await page.Locator("#never-used").InnerTextAsync());
        Assert.Contains("No CSV upload has failed this academic year.", await page.InnerTextAsync("main"));
    }
}
