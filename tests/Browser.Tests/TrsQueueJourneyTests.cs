using Dapper;
using Npgsql;
using Register.TestKit;

namespace Register.Browser.Tests;

/// <summary>
/// A support user finds a failed TRS request on the TRS requests page, filters to it, and retries it; every page axe-checked.
/// The worker Register has today cannot fail a request for good, so the test writes the request's columns in its arrange step.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TrsQueueJourneyTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_support_user_filters_to_a_failed_request_and_retries_it()
    {
        var support = await Api.SupportAsync("Support desk");
        var providerId = (await support.CreateAsync(ProviderRequests.Hei("7TQ", "TRS Queue University").With("ukprn", "10000778"))).Id();
        var srs = Api.WithToken(await Api.CreateTokenAsync(support, "trainees_api", providerId, "Queue SRS"));
        foreach (var last in new[] { "Refused", "Waiting" })
        {
            var created = await srs.PostAsync("/api/v2026.1/trainees", System.Net.Http.Json.JsonContent.Create(new { data = TraineeRequests.Valid().With("last_name", last) }));
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        await using (var connection = new NpgsqlConnection(Api.ConnectionString))
        {
            // Neither is due while the journey runs (TRS works in the background here); the first is refused for good.
            await connection.ExecuteAsync(
                """
                UPDATE trainees.trs_requests r SET due_at = now() + interval '1 day',
                    failed_at = CASE WHEN t.last_name = 'Refused' THEN now() END, attempts = CASE WHEN t.last_name = 'Refused' THEN 1 ELSE 0 END,
                    last_error = CASE WHEN t.last_name = 'Refused' THEN 'TRS answered 400: errorCode 10045' END
                FROM trainees.trainees t WHERE t.id = r.trainee_id
                """);
        }

        var page = await SignInAsync();
        await ClickLinkAsync(page, "TRS requests");
        Assert.Equal("TRS requests", await HeadingAsync(page));
        Assert.Equal(2, await page.Locator("table.app-trs-requests tbody tr").CountAsync());

        await page.GetByLabel("Failed", new() { Exact = true }).CheckAsync();
        await ClickButtonAsync(page, "Apply filters");
        Assert.Equal(1, await page.Locator("table.app-trs-requests tbody tr").CountAsync());
        Assert.Contains("TRS answered 400: errorCode 10045", await page.Locator("table.app-trs-requests").InnerTextAsync());
        Assert.Equal(["Failed"], (await page.Locator(".app-filter-tag").AllInnerTextsAsync()).Select(t => t.Replace("Remove this filter", "").Trim()));

        await ClickAsync(page, page.Locator("table.app-trs-requests a[href$='/retry']"));
        Assert.Equal("Confirm you want to retry this TRS request", await HeadingAsync(page));
        await ClickButtonAsync(page, "Retry request");

        Assert.Equal("TRS request retried", await FlashAsync(page));
        Assert.Equal("TRS requests", await HeadingAsync(page));
    }
}
