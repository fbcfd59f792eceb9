using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Register.TestKit;
using Register.Trainees.Features.Trs;

namespace Register.Trainees.Tests;

/// <summary>
/// The support pages of the TRS queue (<c>/trs-requests</c>): the summary, the filters with their removable tags, the table,
/// and "Retry" through its confirmation page. As in <see cref="TrsQueueTests"/>, a failed request is made by writing its
/// columns in the arrange step (today's worker cannot fail one for good).
/// </summary>
[Collection(TraineesCollection.Name)]
public sealed class TrsQueuePagesTests(TraineesFixture fixture) : TraineeApiTest(fixture)
{
    private async Task<(string TraineeId, Guid RequestId)> FailedRequestAsync(string lastName)
    {
        var traineeId = (await CreateTraineeAsync(TraineeRequests.Valid().With("last_name", lastName))).Text("trainee_id");
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        var requestId = await connection.QuerySingleAsync<Guid>(
            """
            UPDATE trainees.trs_requests r SET failed_at = @now, due_at = @now + interval '1 day', attempts = 1, last_error = 'TRS answered 400: errorCode 10045'
            FROM trainees.trainees t WHERE t.id = r.trainee_id AND t.slug = @traineeId RETURNING r.id
            """,
            new { traineeId, now = Api.Clock.GetUtcNow() });
        return (traineeId, requestId);
    }

    [Fact]
    public async Task Support_sees_the_summary_and_the_open_requests_and_filters_them_with_removable_tags()
    {
        var (failed, _) = await FailedRequestAsync("Failed");
        var pending = (await CreateTraineeAsync(TraineeRequests.Valid().With("last_name", "Pending"))).Text("trainee_id");
        var support = await WebSession.SignInAsync(Api.Factory);

        var page = await support.GetAsync("/trs-requests");
        var filtered = await support.GetAsync("/trs-requests?state=failed&kind=trn&state=unknown");
        var none = await support.GetAsync("/trs-requests?kind=award");

        Assert.Equal("TRS requests", page.Heading());
        Assert.Contains("TRS requests", page.QuerySelectorAll(".govuk-service-navigation__item--active").Select(i => i.TextContent.Trim()));
        Assert.Equal("1", page.QuerySelector("#summary-failed")!.FirstChild!.TextContent.Trim());
        Assert.Equal("1", page.QuerySelector("#summary-pending")!.FirstChild!.TextContent.Trim());
        var all = page.QuerySelectorAll(".govuk-summary-list__row").First(r => r.QuerySelector("dt")!.TextContent.Trim() == "All open requests");
        Assert.Equal("2", all.QuerySelector("dd")!.TextContent.Trim());
        var rows = page.QuerySelectorAll("table.app-trs-requests tbody tr").ToList();
        Assert.Equal(2, rows.Count);
        Assert.Contains(failed, rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("TRS answered 400: errorCode 10045", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("Failed", rows[0].QuerySelector(".govuk-tag")!.TextContent.Trim());
        Assert.Contains(pending, rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("University of Trainees", rows[1].TextContent, StringComparison.Ordinal);

        Assert.Equal([failed], filtered.QuerySelectorAll("table.app-trs-requests tbody tr code").Select(c => c.TextContent));
        Assert.Equal(["Failed", "TRN request"], filtered.QuerySelectorAll(".app-filter-tag").Select(t => t.LastChild!.TextContent.Trim()));
        Assert.Equal("/trs-requests?kind=trn", filtered.QuerySelectorAll(".app-filter-tag")[0].GetAttribute("href"));
        Assert.Equal(["failed"], filtered.QuerySelectorAll("input[name=state][checked]").Select(i => i.GetAttribute("value")));
        Assert.Equal("No open TRS requests match the selected filters.", none.QuerySelector("#no-requests")!.TextContent.Trim());
    }

    [Fact]
    public async Task Retry_asks_for_confirmation_then_makes_the_request_due_and_says_so()
    {
        var (traineeId, requestId) = await FailedRequestAsync("Refused");
        var support = await WebSession.SignInAsync(Api.Factory);
        var list = await support.GetAsync("/trs-requests");
        var link = list.QuerySelector($"#request-{requestId} a[href$='/retry']")!.GetAttribute("href");

        var confirm = await support.GetAsync(link!);
        var retried = await support.SubmitAsync(confirm, pageUrl: link);
        var after = await support.GetAsync("/trs-requests");
        Api.Clock.Advance(TimeSpan.FromSeconds(1));
        var done = await Api.Factory.Services.GetRequiredService<TrsWorker>().ProcessDueAsync(CancellationToken.None);
        var again = await support.GetAsync(link!, HttpStatusCode.Conflict);

        Assert.Equal("Confirm you want to retry this TRS request", confirm.Heading());
        Assert.Contains(traineeId, confirm.Text(), StringComparison.Ordinal);
        Assert.Contains("TRS answered 400: errorCode 10045", confirm.Text(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.SeeOther, "/trs-requests"), (retried.StatusCode, retried.Headers.Location?.OriginalString));
        Assert.Equal("TRS request retried", after.Flash());
        Assert.Equal("Pending", after.QuerySelector($"#request-{requestId} .govuk-tag")!.TextContent.Trim());
        Assert.Equal(2, done); // the TRN, then the route it owes TRS
        Assert.Contains("The TRS request is already done", again.Text(), StringComparison.Ordinal);
        Assert.Equal("There are no open TRS requests.", (await support.GetAsync("/trs-requests")).QuerySelector("#no-requests")!.TextContent.Trim());
    }

    [Fact]
    public async Task A_request_register_does_not_have_is_page_not_found_and_provider_users_are_refused()
    {
        var support = await WebSession.SignInAsync(Api.Factory);
        var providerUser = await WebSession.SignInAsProviderUserAsync(Api.Factory, ProviderId);

        var unknown = await support.GetAsync($"/trs-requests/{Guid.NewGuid()}/retry", HttpStatusCode.NotFound);
        var refused = await providerUser.GetAsync("/trs-requests", HttpStatusCode.Forbidden);

        Assert.Equal("Page not found", unknown.Heading());
        Assert.Equal("You are not authorised to see this page", refused.Heading());
    }
}
