using System.Net;
using System.Text;
using AngleSharp.Html.Dom;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Register.BuildingBlocks.Email;
using Register.TestKit;
using Register.Trainees.Features.Uploads;

namespace Register.Trainees.Tests;

/// <summary>
/// "Bulk add new trainees" in the browser, over HTTP (spec §9, web.md "The provider service"): the same upload records and
/// worker as the API, the checks' messages in the error summary, each status's page, submit and cancel, the report, another
/// provider's upload a 404, and the "upload checked" email, which never holds an upload up.
/// </summary>
[Collection(TraineesCollection.Name)]
public sealed class TraineeUploadPagesTests(TraineesFixture fixture) : TraineeApiTest(fixture)
{
    private const string Path = "/bulk-update/add-trainees";

    private Task<int> WorkerRunsAsync(RegisterFactory? factory = null) =>
        (factory ?? Api.Factory).Services.GetRequiredService<UploadWorker>().ProcessPendingAsync(CancellationToken.None);

    private static byte[] Csv(params Dictionary<string, string>[] rows) => Encoding.UTF8.GetBytes(TraineeCsv.Make(rows));

    /// <summary>Uploads a file from the upload page; returns the upload's page address.</summary>
    private static async Task<string> UploadAsync(WebSession session, byte[] file, string fileName = "trainees.csv")
    {
        var response = await session.UploadAsync(await session.GetAsync(Path), "file", file, fileName);
        Assert.True(response.StatusCode == HttpStatusCode.SeeOther, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response.Headers.Location!.OriginalString;
    }

    private async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        return await connection.ExecuteScalarAsync<T>(sql, args) ?? default!;
    }

    /// <summary>GETs an upload's page: the page and its Refresh header (the page reloading itself, no JavaScript needed).</summary>
    private static async Task<(IHtmlDocument Page, string? Refresh)> ShowAsync(WebSession session, string url)
    {
        var response = await session.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await WebSession.ParseAsync(response), response.Headers.TryGetValues("Refresh", out var values) ? values.Single() : null);
    }

    [Fact]
    public async Task A_valid_file_is_checked_with_its_progress_shown_then_submitted_and_its_trainees_listed()
    {
        var session = await WebSession.SignInAsProviderUserAsync(Api.Factory, ProviderId);
        var start = await session.GetAsync(Path);
        Assert.Equal("Bulk add new trainees", start.Heading());
        Assert.Equal("multipart/form-data", start.QuerySelector("form[action='/bulk-update/add-trainees']")!.GetAttribute("enctype"));
        Assert.Equal(".csv", start.QuerySelector("input[type=file][name=file]")!.GetAttribute("accept"));

        var url = await UploadAsync(session, Csv(TraineeCsv.Row(1), TraineeCsv.Row(2), TraineeCsv.Row(3)), "my trainees.csv");
        Assert.Matches("^/bulk-update/add-trainees/[A-Za-z0-9]+$", url);
        var (pending, refresh) = await ShowAsync(session, url);
        Assert.Equal(("Checking your file", "2"), (pending.Heading(), refresh));
        Assert.Empty(pending.QuerySelectorAll("meta[http-equiv=refresh]"));
        var (stopped, none) = await ShowAsync(session, $"{url}?refresh=off");
        Assert.Equal(("Checking your file", null), (stopped.Heading(), none));
        Assert.Equal("0 of 3 rows checked", pending.GetElementById("progress")!.TextContent.Trim());
        Assert.Contains("my trainees.csv", pending.Text());
        Assert.Contains("my trainees.csv", (await session.GetAsync(Path)).Text());

        Assert.Equal(1, await WorkerRunsAsync());
        var (validated, noRefresh) = await ShowAsync(session, url);
        Assert.Equal("Your file has been checked", validated.Heading());
        Assert.Null(noRefresh);
        Assert.Contains("3 trainees will be added", validated.Text());
        Assert.Equal(0, await ScalarAsync<int>("SELECT count(*) FROM trainees.trainees WHERE provider_id = @ProviderId", new { ProviderId }));

        var submitted = await session.SubmitAsync(url, action: $"{url}/submit");
        Assert.Equal((HttpStatusCode.SeeOther, url), (submitted.StatusCode, submitted.Headers.Location!.OriginalString));
        var (adding, refreshing) = await ShowAsync(session, url);
        Assert.Equal(("Adding trainees", "2"), (adding.Heading(), refreshing));
        Assert.Equal(1, await WorkerRunsAsync());

        var succeeded = await session.GetAsync(url);
        Assert.Equal("Trainees added", succeeded.Heading());
        var links = succeeded.QuerySelectorAll("#trainees-added a").Select(a => (a.TextContent.Trim(), a.GetAttribute("href")!)).ToList();
        Assert.Equal(["Trainee1 Csv1", "Trainee2 Csv2", "Trainee3 Csv3"], links.Select(l => l.Item1));
        var slugs = await (await Srs.GetAsync($"/api/v2026.1/trainee-uploads/{url.Split('/')[^1]}/rows")).BodyAsync();
        Assert.Equal(slugs.GetProperty("data").EnumerateArray().Select(r => $"/trainees/{r.Text("trainee_id")}"), links.Select(l => l.Item2));
        Assert.Equal(1, await ScalarAsync<int>("SELECT count(*) FROM email.outbox WHERE notice_key = @key AND recipient = @Email",
            new { key = $"upload-checked:{await ScalarAsync<Guid>("SELECT id FROM trainees.trainee_uploads WHERE slug = @slug", new { slug = url.Split('/')[^1] })}", session.Email }));
    }

    [Fact]
    public async Task A_mixed_file_shows_each_rows_errors_and_the_report_and_its_fixed_file_is_checked_and_submitted()
    {
        var session = await WebSession.SignInAsProviderUserAsync(Api.Factory, ProviderId);
        var bad = TraineeCsv.Row(2);
        bad["sex"] = "3";
        bad["first_names"] = "=HYPERLINK(\"http://example.com\",\"x\")";
        bad["degree_graduation_year"] = "abc";
        var url = await UploadAsync(session, Csv(TraineeCsv.Row(1), bad, TraineeCsv.Row(1)));
        await WorkerRunsAsync();

        var failed = await session.GetAsync(url);
        Assert.Equal("There are errors in your file", failed.Heading());
        var rows = failed.QuerySelectorAll("#row-errors tbody tr").Select(tr => tr.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray()).ToList();
        Assert.Contains(["2", "sex", "sex has invalid reference data value of '3'. Valid values are '11', '10', '12', '99', '96'."], rows);
        Assert.Contains(["2", "degree_graduation_year", "degree_graduation_year Enter a valid graduation year"], rows);
        Assert.Contains(["3", "—", "This trainee is already in Register"], rows);
        Assert.Contains("2 rows have errors", failed.Text());
        Assert.NotNull(failed.QuerySelector($"a[href='{url}/report.csv']"));

        var report = await session.Client.GetAsync($"{url}/report.csv");
        Assert.Equal("text/csv", report.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await (await Srs.GetAsync($"/api/v2026.1/trainee-uploads/{url.Split('/')[^1]}/report")).Content.ReadAsByteArrayAsync(), await report.Content.ReadAsByteArrayAsync());
        Assert.Contains("\"'=HYPERLINK(\"\"http://example.com\"\",\"\"x\"\")\"", await report.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The fixed file, uploaded from the failed upload's page, is a new upload.
        bad["sex"] = "10";
        bad["first_names"] = "Fixed";
        bad["degree_graduation_year"] = "2012";
        var fixedResponse = await session.UploadAsync(failed, "file", Csv(TraineeCsv.Row(1), bad), "fixed.csv");
        var fixedUrl = fixedResponse.Headers.Location!.OriginalString;
        Assert.NotEqual(url, fixedUrl);
        await WorkerRunsAsync();
        Assert.Contains("2 trainees will be added", (await session.GetAsync(fixedUrl)).Text());
        await session.SubmitAsync(fixedUrl, action: $"{fixedUrl}/submit");
        await WorkerRunsAsync();
        Assert.Equal(["Trainee1 Csv1", "Fixed Csv2"], (await session.GetAsync(fixedUrl)).QuerySelectorAll("#trainees-added a").Select(a => a.TextContent.Trim()));
        Assert.Equal(2, await ScalarAsync<int>("SELECT count(*) FROM email.outbox WHERE notice_key LIKE 'upload-checked:%' AND recipient = @Email", new { session.Email }));
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        var emails = (await connection.QueryAsync<(string Subject, string Body)>("SELECT subject, body FROM email.outbox WHERE recipient = @Email ORDER BY created_at", new { session.Email })).ToList();
        Assert.All(emails, e => Assert.Equal("Your file of trainees has been checked", e.Subject));
        Assert.StartsWith("2 rows have errors.", emails[0].Body, StringComparison.Ordinal);
        Assert.EndsWith($"{url}", emails[0].Body.TrimEnd(), StringComparison.Ordinal);
        Assert.StartsWith("2 trainees are ready to submit.", emails[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upload_is_cancelled_from_its_page_and_then_cannot_be_submitted()
    {
        var session = await WebSession.SignInAsProviderUserAsync(Api.Factory, ProviderId);
        var url = await UploadAsync(session, Csv(TraineeCsv.Row(1)));
        var early = await session.SubmitAsync(await session.GetAsync(Path), action: Path);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, early.StatusCode); // the upload form without a file, for good measure
        var cancelPending = await session.Client.PostAsync($"{url}/cancel", null);
        Assert.Equal(HttpStatusCode.BadRequest, cancelPending.StatusCode); // no anti-forgery token
        await WorkerRunsAsync();

        var cancelled = await session.SubmitAsync(url, action: $"{url}/cancel");
        Assert.Equal(HttpStatusCode.SeeOther, cancelled.StatusCode);
        var page = await session.GetAsync(url);
        Assert.Equal(("Upload cancelled", "Upload cancelled"), (page.Heading(), page.Flash()));
        Assert.Empty(page.QuerySelectorAll($"form[action='{url}/submit']"));

        var validated = await UploadAsync(session, Csv(TraineeCsv.Row(2)));
        await WorkerRunsAsync();
        var form = await session.GetAsync(validated);
        await session.SubmitAsync(form, action: $"{validated}/submit");
        var again = await WebSession.ParseAsync(await session.SubmitAsync(form, action: $"{validated}/submit"));
        Assert.Equal("This change cannot be made", again.Heading());
        Assert.Contains("Only a file that has been checked and has no errors can be submitted.", again.Text());
        var lateCancel = await session.SubmitAsync(form, action: $"{validated}/cancel");
        Assert.Equal(HttpStatusCode.Conflict, lateCancel.StatusCode);
    }

    public static TheoryData<string, byte[]?, string> BadFiles() => new()
    {
        { "none", null, "Select a CSV file" },
        { "empty", [], "The selected file is empty" },
        { "a PNG", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52], "The selected file must be a CSV" },
        { "too big", Encoding.UTF8.GetBytes(TraineeCsv.Make([TraineeCsv.Row(1)]) + new string(' ', UploadFile.MaxBytes)), "The selected file must be smaller than 10MB" },
        { "missing columns", Encoding.UTF8.GetBytes(TraineeCsv.Make([TraineeCsv.Row(1)], TraineeCsv.Columns.Where(c => c is not ("hesa_id" or "sex")).ToList())),
            "Your file’s column names need to match the CSV template. Your file is missing the following columns: 'hesa_id' and 'sex'" },
        { "no rows", Encoding.UTF8.GetBytes(string.Join(",", TraineeCsv.Columns) + "\n"), "The selected file must contain at least one trainee" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_file_that_fails_the_checks_is_shown_the_references_message_on_the_form(string what, byte[]? file, string message)
    {
        var session = await WebSession.SignInAsProviderUserAsync(Api.Factory, ProviderId);

        var response = await session.UploadAsync(await session.GetAsync(Path), "file", file, what == "a PNG" ? "picture.png" : "trainees.csv", contentType: what == "a PNG" ? "image/png" : "text/csv");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = await WebSession.ParseAsync(response);
        Assert.Equal([message], page.ErrorSummary());
        Assert.Equal("#file", page.QuerySelector(".govuk-error-summary__list a")!.GetAttribute("href"));
        Assert.Equal(message, page.FieldError("file"));
        Assert.StartsWith("Error: Bulk add new trainees", page.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_providers_upload_is_404_on_every_page_and_support_users_are_403()
    {
        var session = await WebSession.SignInAsProviderUserAsync(Api.Factory, ProviderId);
        var url = await UploadAsync(session, Csv(TraineeCsv.Row(1)));
        await WorkerRunsAsync();
        var page = await session.GetAsync(url);
        var otherProvider = (await Support.CreateAsync(ProviderRequests.Hei("3OP", "Another University").With("ukprn", "10000003"))).Id();
        var other = await WebSession.SignInAsProviderUserAsync(Api.Factory, otherProvider);
        var support = await WebSession.SignInAsync(Api.Factory);

        await other.GetAsync(url, HttpStatusCode.NotFound);
        await other.GetAsync($"{url}/report.csv", HttpStatusCode.NotFound);
        var token = (await other.GetAsync(Path)).QuerySelector("input[name=authenticity_token]")!.GetAttribute("value")!;
        foreach (var action in new[] { "submit", "cancel" })
        {
            var response = await other.Client.PostAsync($"{url}/{action}", new FormUrlEncodedContent([new("authenticity_token", token)]));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        Assert.DoesNotContain(url, (await other.GetAsync(Path)).Body!.InnerHtml, StringComparison.Ordinal);
        Assert.Equal("Your file has been checked", (await session.GetAsync(url)).Heading());
        Assert.NotNull(page);
        await support.GetAsync(Path, HttpStatusCode.Forbidden);
        await support.GetAsync(url, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_template_and_field_guidance_are_the_apis_columns()
    {
        var session = await WebSession.SignInAsProviderUserAsync(Api.Factory, ProviderId);

        var template = await session.Client.GetAsync($"{Path}/template.csv");
        var fields = await session.GetAsync($"{Path}/fields");
        var fieldsCsv = await (await session.Client.GetAsync($"{Path}/fields.csv")).Content.ReadAsStringAsync();

        Assert.Equal(await (await Srs.GetAsync("/api/v2026.1/trainee-uploads/template")).Content.ReadAsByteArrayAsync(), await template.Content.ReadAsByteArrayAsync());
        Assert.Equal("attachment", template.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(TraineeCsv.Columns, fields.QuerySelectorAll("tbody th code").Select(c => c.TextContent));
        Assert.Contains("A HESA code: 11 (Male); 10 (Female)", fields.GetElementById("field-sex")!.TextContent);
        Assert.Equal(52, fieldsCsv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task An_api_upload_sends_no_email()
    {
        var response = await Srs.PostAsync("/api/v2026.1/trainee-uploads?file_name=api.csv", new StringContent(TraineeCsv.Make([TraineeCsv.Row(1)]), Encoding.UTF8, "text/csv"));
        var id = (await response.BodyAsync()).GetProperty("data").Text("upload_id");
        await WorkerRunsAsync();

        Assert.Equal("validated", (await (await Srs.GetAsync($"/api/v2026.1/trainee-uploads/{id}")).BodyAsync()).GetProperty("data").Text("status"));
        Assert.Equal(0, await ScalarAsync<int>(
            "SELECT count(*) FROM email.outbox o JOIN trainees.trainee_uploads u ON o.notice_key = 'upload-checked:' || u.id WHERE u.slug = @id", new { id }));
    }

    [Fact]
    public async Task A_failing_email_sender_does_not_hold_an_upload_up()
    {
        var notAFolder = System.IO.Path.GetTempFileName();
        await using var failing = Api.NewProcess(settings: new Dictionary<string, string?> { ["Email:MailboxPath"] = notAFolder });
        var session = await WebSession.SignInAsProviderUserAsync(failing, ProviderId);

        var url = await UploadAsync(session, Csv(TraineeCsv.Row(1)));
        await WorkerRunsAsync(failing);
        var slug = url.Split('/')[^1];
        var key = $"upload-checked:{await ScalarAsync<Guid>("SELECT id FROM trainees.trainee_uploads WHERE slug = @slug", new { slug })}";
        await failing.Services.GetRequiredService<EmailWorker>().SendDueAsync(CancellationToken.None);
        Assert.Equal("Your file has been checked", (await session.GetAsync(url)).Heading());
        await session.SubmitAsync(url, action: $"{url}/submit");
        await WorkerRunsAsync(failing);

        Assert.Equal("Trainees added", (await session.GetAsync(url)).Heading());
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        var email = await connection.QuerySingleAsync<(DateTimeOffset? SentAt, string? LastError, int Attempts)>(
            "SELECT sent_at, last_error, attempts FROM email.outbox WHERE notice_key = @key", new { key });
        Assert.Null(email.SentAt);
        Assert.NotNull(email.LastError);
        Assert.True(email.Attempts >= 1);
        File.Delete(notAFolder);
    }
}
