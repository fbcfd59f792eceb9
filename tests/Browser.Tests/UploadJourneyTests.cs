using System.Text;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Register.Access.Contracts;
using Register.TestKit;

namespace Register.Browser.Tests;

/// <summary>"Bulk add new trainees" in a browser: a provider user uploads a mixed file, sees its errors, downloads the report, uploads the fixed file and submits it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class UploadJourneyTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private const string Path = "/bulk-update/add-trainees";

    /// <summary>A provider (an HEI) of its own and one of its users, signed in.</summary>
    private async Task<IPage> SignInAsProviderUserAsync(bool javaScript = true)
    {
        var support = await Api.SupportAsync($"Support {Guid.NewGuid():N}");
        var code = $"{Random.Shared.Next(1, 9)}{(char)('A' + Random.Shared.Next(26))}{(char)('A' + Random.Shared.Next(26))}";
        var provider = (await support.CreateAsync(ProviderRequests.Hei(code, $"University {Guid.NewGuid():N}"))).Id();
        await using var scope = Api.Factory.Services.CreateAsyncScope();
        var added = await scope.ServiceProvider.GetRequiredService<ISender>().Send(
            new AddUser("Priya", "Browser", $"priya.{Guid.NewGuid().ToString("N")[..8]}@provider.example.ac.uk", "provider", false, provider));
        var page = await NewPageAsync(javaScript);
        await GoAsync(page, added.SignInPath!);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(WebSession.Password);
        await page.GetByLabel("Confirm password").FillAsync(WebSession.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Set password and sign in" }).ClickAsync();
        await page.WaitForLoadStateAsync();
        return page;
    }

    private static FilePayload File(string name, byte[] content, string type = "text/csv") => new() { Name = name, MimeType = type, Buffer = content };

    private static byte[] Csv(params Dictionary<string, string>[] rows) => Encoding.UTF8.GetBytes(TraineeCsv.Make(rows));

    private async Task UploadAsync(IPage page, FilePayload file, string button = "Upload records")
    {
        await page.Locator("input[type=file][name=file]").SetInputFilesAsync(file);
        await ClickButtonAsync(page, button);
    }

    /// <summary>Waits, without touching the page, for its own refreshes to show <paramref name="heading"/>; then checks it with axe.</summary>
    private async Task WaitForHeadingAsync(IPage page, string heading)
    {
        await page.Locator("h1").Filter(new() { HasText = heading }).WaitForAsync(new() { Timeout = 60_000 });
        await CheckAccessibilityAsync(page);
    }

    [Fact]
    public async Task A_provider_user_uploads_a_mixed_file_fixes_it_from_the_report_and_submits_it()
    {
        var page = await SignInAsProviderUserAsync();
        await GoAsync(page, Path);
        Assert.Equal("Bulk add new trainees", await HeadingAsync(page));
        var template = await page.RunAndWaitForDownloadAsync(() => page.GetByText("Download empty CSV file to add new trainees").ClickAsync());
        Assert.StartsWith("provider_trainee_id,application_id,hesa_id", await System.IO.File.ReadAllTextAsync((await template.PathAsync())!));
        await ClickLinkAsync(page, "guidance on each field of the CSV template");
        Assert.Equal("Fields of the CSV template", await HeadingAsync(page));
        await page.GoBackAsync();

        var bad = TraineeCsv.Row(2);
        bad["sex"] = "3";
        bad["first_names"] = "=HYPERLINK(\"http://example.com\",\"click\")";
        bad["last_name"] = "+1";
        bad["provider_trainee_id"] = "-2";
        bad["previous_last_name"] = "@SUM(A1:A2)";
        await UploadAsync(page, File("mixed.csv", Csv(TraineeCsv.Row(1), bad, TraineeCsv.Row(3))));
        await WaitForHeadingAsync(page, "There are errors in your file");
        var errors = await page.Locator("#row-errors tbody tr").AllInnerTextsAsync();
        Assert.Contains(errors, e => e.StartsWith("2\tsex\tsex has invalid reference data value of '3'.", StringComparison.Ordinal));
        // The formulas are text on the page: no link was made from =HYPERLINK, and the page has no link to example.com.
        Assert.Equal(0, await page.Locator("a[href*='example.com']").CountAsync());

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByText("error report (CSV)").ClickAsync());
        Assert.Equal("mixed-report.csv", download.SuggestedFilename);
        var report = await System.IO.File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains("\"'=HYPERLINK(\"\"http://example.com\"\",\"\"click\"\")\"", report, StringComparison.Ordinal);
        Assert.Contains("\"'+1\"", report, StringComparison.Ordinal);
        Assert.Contains("\"'-2\"", report, StringComparison.Ordinal);
        Assert.Contains("\"'@SUM(A1:A2)\"", report, StringComparison.Ordinal);
        Assert.Contains("\"1 error found\"", report, StringComparison.Ordinal);

        // The report, fixed, is the new file: its extra columns are allowed and its apostrophes removed.
        var fixedReport = report.Replace("\"'=HYPERLINK(\"\"http://example.com\"\",\"\"click\"\")\"", "\"Robin\"", StringComparison.Ordinal)
            .Replace("\"'3\"", "\"'10\"", StringComparison.Ordinal);
        await UploadAsync(page, File("mixed-report.csv", Encoding.UTF8.GetBytes(fixedReport)), "Upload fixed file");
        await WaitForHeadingAsync(page, "Your file has been checked");
        Assert.Contains("3 trainees will be added", await page.InnerTextAsync("main"));
        await PressButtonAsync(page, "Submit");
        await WaitForHeadingAsync(page, "Trainees added");
        var trainees = await page.Locator("#trainees-added a").AllInnerTextsAsync();
        Assert.Equal(["Trainee1 Csv1", "Robin +1", "Trainee3 Csv3"], trainees.Select(t => t.Trim()));
        Assert.Matches("/trainees/[A-Za-z0-9]+$", await page.Locator("#trainees-added a").First.GetAttributeAsync("href"));

        await ClickLinkAsync(page, "Back to bulk add new trainees");
        Assert.Equal(["Trainees added", "Errors found"], (await page.Locator("table .govuk-tag").AllInnerTextsAsync()).Select(t => t.Trim()));
    }

    [Fact]
    public async Task Files_over_the_limit_not_csv_or_empty_are_refused_with_the_references_messages()
    {
        var page = await SignInAsProviderUserAsync();
        await GoAsync(page, Path);
        await ClickButtonAsync(page, "Upload records");
        Assert.Equal(["Select a CSV file"], await ErrorSummaryAsync(page));

        await UploadAsync(page, File("big.csv", Encoding.UTF8.GetBytes(TraineeCsv.Make([TraineeCsv.Row(1)]) + new string(' ', 10 * 1024 * 1024))));
        Assert.Equal(["The selected file must be smaller than 10MB"], await ErrorSummaryAsync(page));

        await UploadAsync(page, File("picture.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52], "image/png"));
        Assert.Equal(["The selected file must be a CSV"], await ErrorSummaryAsync(page));

        await UploadAsync(page, File("empty.csv", []));
        Assert.Equal(["The selected file is empty"], await ErrorSummaryAsync(page));
        await page.Locator(".govuk-error-summary a").ClickAsync();
        Assert.Equal("file", await page.EvaluateAsync<string>("() => document.activeElement.id"));
    }

    [Fact]
    public async Task The_check_in_progress_refreshes_itself_without_javascript_and_the_upload_is_cancelled()
    {
        var page = await SignInAsProviderUserAsync(javaScript: false);
        await GoAsync(page, Path);
        await UploadAsync(page, File("many.csv", Csv(Enumerable.Range(1, 5000).Select(n => TraineeCsv.Row(n)).ToArray())));

        // The worker has had a moment at most: the check of 5,000 rows is under way, and the page reloads itself.
        Assert.Equal("Checking your file", await HeadingAsync(page));
        Assert.Contains("This page updates itself every 2 seconds.", await page.InnerTextAsync("main"));
        Assert.Matches("^[0-9,]+ of 5,000 rows checked$", (await page.Locator("#progress").InnerTextAsync()).Trim());
        await WaitForHeadingAsync(page, "Your file has been checked");

        await ClickButtonAsync(page, "Cancel upload");
        Assert.Equal("Upload cancelled", await HeadingAsync(page));
        Assert.Equal("Upload cancelled", await FlashAsync(page));
    }
}
