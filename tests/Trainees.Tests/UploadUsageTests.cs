using System.Net;
using System.Text;
using Dapper;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Register.TestKit;
using Register.Trainees.Contracts;
using Register.Trainees.Features.Uploads;

namespace Register.Trainees.Tests;

/// <summary>
/// The uploads side of the support usage dashboard (issue 16), on the fixture's clock (Tuesday 15 September 2026, so this week
/// is from Monday 14 September and the academic year from 1 August 2026, London): <see cref="GetUploadUsage"/> counts each
/// provider's uploads by outcome, in the browser and by a token, and the trainees they made; failed uploads' reasons are
/// counted without the values rows quoted; and the <c>/usage</c> page shows the same figures, with no trainee's data.
/// </summary>
[Collection(TraineesCollection.Name)]
public sealed class UploadUsageTests(TraineesFixture fixture) : TraineeApiTest(fixture)
{
    private Task<int> WorkerRunsAsync() => Api.Factory.Services.GetRequiredService<UploadWorker>().ProcessPendingAsync(CancellationToken.None);

    private static string Csv(params Dictionary<string, string>[] rows) => TraineeCsv.Make(rows);

    private static Dictionary<string, string> BadSex(int n, string sex)
    {
        var row = TraineeCsv.Row(n);
        row["sex"] = sex;
        return row;
    }

    private async Task<string> ByTokenAsync(string csv)
    {
        var response = await Srs.PostAsync("/api/v2026.1/trainee-uploads?file_name=trainees.csv", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.BodyAsync()).GetProperty("data").Text("upload_id");
    }

    private static async Task<string> InBrowserAsync(WebSession session, string csv)
    {
        var response = await session.UploadAsync(await session.GetAsync("/bulk-update/add-trainees"), "file", Encoding.UTF8.GetBytes(csv));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        return response.Headers.Location!.OriginalString.Split('/')[^1];
    }

    private async Task CreatedAtAsync(string slug, string at)
    {
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        await connection.ExecuteAsync("UPDATE trainees.trainee_uploads SET created_at = @at::timestamptz WHERE slug = @slug", new { at, slug });
    }

    [Fact]
    public async Task Uploads_are_counted_by_provider_outcome_and_channel_and_failures_by_reason()
    {
        var providerUser = await WebSession.SignInAsProviderUserAsync(Api.Factory, ProviderId);

        // By the token: one that succeeds (2 trainees), made at 00:30 on 1 August in London (in the academic year, not this
        // week); one that fails; one made at 23:59 on 31 July in London (last academic year: not counted). In the browser:
        // one checked and waiting (open), one that fails. The failures: three rows with a bad sex code, one with a bad year.
        var succeeded = await ByTokenAsync(Csv(TraineeCsv.Row(1), TraineeCsv.Row(2)));
        await WorkerRunsAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await Srs.PostAsync($"/api/v2026.1/trainee-uploads/{succeeded}/submit", null)).StatusCode);
        await WorkerRunsAsync();
        await CreatedAtAsync(succeeded, "2026-07-31T23:30:00Z");
        var lastYear = await ByTokenAsync(Csv(BadSex(9, "7")));
        await CreatedAtAsync(lastYear, "2026-07-31T22:59:00Z");
        await ByTokenAsync(Csv(BadSex(3, "3"), BadSex(4, "4")));
        await InBrowserAsync(providerUser, Csv(TraineeCsv.Row(5)));
        var yearRow = TraineeCsv.Row(6);
        yearRow["degree_graduation_year"] = "abc";
        await InBrowserAsync(providerUser, Csv(BadSex(7, "5"), yearRow));
        while (await WorkerRunsAsync() > 0)
        {
        }

        await using var scope = Api.Factory.Services.CreateAsyncScope();
        var sender = scope.ServiceProvider.GetRequiredService<ISender>();
        var year = await sender.Send(new GetUploadUsage(new DateOnly(2026, 8, 1), new DateOnly(2026, 9, 15)));
        var week = await sender.Send(new GetUploadUsage(new DateOnly(2026, 9, 14), new DateOnly(2026, 9, 15)));

        Assert.Equal([new ProviderUploadUsage(ProviderId, 4, 1, 2, 0, 1, 2, 2, 2)], year.Providers);
        Assert.Equal([new ProviderUploadUsage(ProviderId, 3, 0, 2, 0, 1, 2, 1, 0)], week.Providers);
        var sex = "sex has invalid reference data value of '…'. Valid values are '…', '…', '…', '…', '…'.";
        Assert.Equal(
            [new UploadFailureReason(sex, 3, 2), new UploadFailureReason("degree_graduation_year Enter a valid graduation year", 1, 1)],
            year.Reasons);
        // Newest first, each with its commonest reason (a tie: the first in order).
        var graduation = "degree_graduation_year Enter a valid graduation year";
        Assert.Equal([(true, 2, 2, graduation), (false, 2, 2, sex)], year.LatestFailed.Select(f => (f.InBrowser, f.TotalRows, f.RowsFailed, f.Reason)));
        Assert.All(year.LatestFailed, f => Assert.Equal(ProviderId, f.ProviderId));

        // The page: the same figures for this week and this academic year, the provider by name, and nothing of any trainee.
        var support = await WebSession.SignInAsync(Api.Factory);
        var page = await support.GetAsync("/usage");
        Assert.Contains("This week is from Monday 14 September 2026. This academic year (2026 to 2027) is from 1 August 2026.", page.Text());
        var figures = Table(page, "figures");
        Assert.Equal(["1", "1"], figures["Providers uploading CSV files"]);
        Assert.Equal(["1", "1"], figures["Providers uploading in the browser"]);
        Assert.Equal(["1", "1"], figures["Providers uploading over the API"]);
        Assert.Equal(["3", "4"], figures["CSV uploads"]);
        Assert.Equal(["2", "2"], figures["Failed CSV uploads"]);
        Assert.Equal(["0", "2"], figures["Trainees added by CSV uploads"]);
        Assert.Equal(["2", "2", "2", "2"], Table(page, "providers")["University of Trainees"][1..]); // after its API requests (flushed on a timer here)
        Assert.Equal([sex, "3", "2"], Rows(page, "reasons")[0]);
        Assert.Equal(["University of Trainees", "15 September 2026 at 1:34pm", "In the browser", "2 of 2", graduation], Rows(page, "failed")[0]);
        Assert.DoesNotContain("Csv", page.Text(), StringComparison.Ordinal);
        Assert.DoesNotContain("Trainee7", page.Text(), StringComparison.Ordinal);
    }

    private static Dictionary<string, string[]> Table(AngleSharp.Html.Dom.IHtmlDocument page, string id) =>
        page.GetElementById(id)!.QuerySelectorAll("tbody tr").ToDictionary(
            tr => tr.QuerySelector("th")!.TextContent.Trim(), tr => tr.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray());

    private static List<string[]> Rows(AngleSharp.Html.Dom.IHtmlDocument page, string id) =>
        page.GetElementById(id)!.QuerySelectorAll("tbody tr").Select(tr => tr.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray()).ToList();
}
