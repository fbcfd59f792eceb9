using Xunit.Sdk;

namespace Register.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class AccessibilityCheckTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task The_check_fails_a_page_with_a_serious_violation()
    {
        var page = await NewPageAsync();
        await page.SetContentAsync("""<html lang="en"><head><title>Broken</title></head><body><main><h1>Broken</h1><input type="text" id="unlabelled"></main></body></html>""");

        var failure = await Assert.ThrowsAsync<TrueException>(() => CheckAccessibilityAsync(page));

        Assert.Contains("label (critical)", failure.Message);
    }
}
