using System.Diagnostics;
using System.Text;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Register.Access.Contracts;
using Register.TestKit;
using Xunit.Abstractions;

namespace Register.Browser.Tests;

/// <summary>A fact that runs only with <c>REGISTER_BENCH=1</c>: a measurement, not part of the suite.</summary>
public sealed class BenchFactAttribute : FactAttribute
{
    public BenchFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("REGISTER_BENCH") != "1")
        {
            Skip = "A benchmark: set REGISTER_BENCH=1 to run it";
        }
    }
}

/// <summary>
/// A 10,000-row file through the browser (Chromium over HTTP to Register on a real socket, its upload worker in the background)
/// from upload to "Trainees added": the upload, the check and the submit timed as a person sees them. Run with
/// <c>REGISTER_BENCH=1 dotnet test tests/Browser.Tests --filter UploadBenchmarkTests</c>; <c>ROWS</c> changes the size.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class UploadBenchmarkTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture)
{
    [BenchFact]
    public async Task A_10000_row_file_goes_from_upload_to_trainees_added()
    {
        var rows = int.TryParse(Environment.GetEnvironmentVariable("ROWS"), out var r) ? r : 10_000;
        var csv = Encoding.UTF8.GetBytes(TraineeCsv.Make(Enumerable.Range(1, rows).Select(n => TraineeCsv.Row(n))));
        Report($"file: {rows:N0} rows, {csv.Length:N0} bytes ({csv.Length / 1024.0 / 1024.0:F2} MB; the reference's limit is 1 MB, Register's 10 MB)");

        var support = await Api.SupportAsync($"Support {Guid.NewGuid():N}");
        var provider = (await support.CreateAsync(ProviderRequests.Hei("9BN", "Benchmark University"))).Id();
        await using var scope = Api.Factory.Services.CreateAsyncScope();
        var added = await scope.ServiceProvider.GetRequiredService<ISender>().Send(
            new AddUser("Bench", "Browser", $"bench.{Guid.NewGuid().ToString("N")[..8]}@provider.example.ac.uk", "provider", false, provider));
        var page = await NewPageAsync();
        page.SetDefaultTimeout(120_000);
        await page.GotoAsync(added.SignInPath!);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(WebSession.Password);
        await page.GetByLabel("Confirm password").FillAsync(WebSession.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Set password and sign in" }).ClickAsync();
        await page.WaitForLoadStateAsync();
        await page.GotoAsync("/bulk-update/add-trainees");
        await page.Locator("input[type=file][name=file]").SetInputFilesAsync(new FilePayload { Name = "bench.csv", MimeType = "text/csv", Buffer = csv });

        var total = Stopwatch.StartNew();
        await page.RunAndWaitForNavigationAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Upload records" }).ClickAsync());
        var uploaded = total.Elapsed;
        var progress = (await page.Locator("#progress").CountAsync()) > 0 ? (await page.Locator("#progress").InnerTextAsync()).Trim() : "(already checked)";
        Report($"upload (POST to the progress page): {uploaded.TotalSeconds:F1} s, showing \"{progress}\"");
        await page.Locator("h1").Filter(new() { HasText = "Your file has been checked" }).WaitForAsync(new() { Timeout = 600_000 });
        var validated = total.Elapsed;
        Report($"upload → validated: {validated.TotalSeconds:F1} s");
        Assert.Contains($"{rows:N0} trainees will be added", await page.InnerTextAsync("main"));

        var submit = Stopwatch.StartNew();
        await page.RunAndWaitForNavigationAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Submit", Exact = true }).ClickAsync());
        await page.Locator("h1").Filter(new() { HasText = "Trainees added" }).WaitForAsync(new() { Timeout = 600_000 });
        Report($"submit → trainees added: {submit.Elapsed.TotalSeconds:F1} s");
        Report($"total, upload → trainees added: {total.Elapsed.TotalSeconds:F1} s (the page reloads every 2 s, so each step shows up to 2 s late)");
        Assert.Equal(25, await page.Locator("#trainees-added a").CountAsync());
    }

    private void Report(string line)
    {
        output.WriteLine(line);
        Console.WriteLine($"[bench] {line}");
    }
}
