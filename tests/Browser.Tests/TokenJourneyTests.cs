using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Register.Access.Contracts;
using Register.TestKit;

namespace Register.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class TokenJourneyTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_user_of_an_accredited_hei_generates_a_token_shown_once_uses_it_and_revokes_it()
    {
        var support = await Api.SupportAsync();
        var hei = (await support.CreateAsync(ProviderRequests.Hei("1TK", "Token University")
            .With("accreditation_status", "accredited")
            .With("accreditation", new { number = "1777", start_date = "2024-08-01" }))).Id();
        var page = await SignInAsProviderUserAsync(hei, "Robin");

        await ClickLinkAsync(page, "API tokens");
        Assert.Equal("Manage your API tokens", await HeadingAsync(page));
        Assert.Contains("Your organisation has no API tokens yet.", await page.InnerTextAsync("main"));
        await ClickLinkAsync(page, "Generate token");
        Assert.Equal("Generate a token", await HeadingAsync(page));
        await PressButtonAsync(page, "Generate token");
        Assert.Equal(["Enter a token name"], await ErrorSummaryAsync(page));
        await TypeIntoAsync(page, "#name", "Acme SRS");
        await PressButtonAsync(page, "Generate token");
        Assert.Equal("Token generated", (await page.Locator(".govuk-panel__title").InnerTextAsync()).Trim());
        var token = (await page.Locator("#token").InnerTextAsync()).Trim();
        Assert.Contains("it will not be shown again", await page.InnerTextAsync("main"));

        // Reloading (which sends the form again) and going back show it no more, and make no second token.
        await KeepHtmlAsync(page, await page.ReloadAsync());
        await CheckAccessibilityAsync(page);
        Assert.DoesNotContain(token, await page.ContentAsync());
        try
        {
            await page.GoBackAsync();
        }
        catch (PlaywrightException ex) when (ex.Message.Contains("ERR_CACHE_MISS", StringComparison.Ordinal))
        {
            // Back lands on a page that answered a form: it was not stored (no-store), and Chromium asks before sending a form again.
        }

        Assert.DoesNotContain(token, await SettledContentAsync(page));

        // The student record system uses it over HTTP.
        using var srs = new HttpClient { BaseAddress = new Uri(Api.BaseUrl) };
        srs.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var created = await srs.PostAsJsonAsync("/api/v2026.1/trainees", new { data = TraineeRequests.Valid(TraineeRequests.CurrentCycle) });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await srs.GetAsync("/api/v2026.1/trainees")).StatusCode);

        await GoAsync(page, "/api-tokens");
        Assert.Equal(1, await page.Locator(".govuk-summary-card").CountAsync());
        Assert.DoesNotContain(token, await page.ContentAsync());
        await ClickAsync(page, page.Locator(".govuk-summary-card a[href$='/revoke']"));
        Assert.Equal("Are you sure you want to revoke this token?", await HeadingAsync(page));
        await ClickButtonAsync(page, "Yes I’m sure – revoke this token");
        Assert.Equal("Token revoked", await FlashAsync(page));
        Assert.Equal("Revoked", (await page.Locator(".govuk-summary-card .govuk-tag").InnerTextAsync()).Trim());
        Assert.Equal(HttpStatusCode.Unauthorized, (await srs.GetAsync("/api/v2026.1/trainees")).StatusCode);
    }

    [Fact]
    public async Task A_user_of_a_provider_that_is_not_an_accredited_hei_is_told_why_they_cannot_manage_tokens()
    {
        var support = await Api.SupportAsync();
        var school = (await support.CreateAsync(ProviderRequests.School())).Id();
        var page = await SignInAsProviderUserAsync(school, "Sky");

        var response = await page.GotoAsync("/api-tokens");
        Assert.Equal(403, response!.Status);
        await CheckAccessibilityAsync(page);
        Assert.Equal("You are not authorised to see this page", await HeadingAsync(page));
        Assert.Contains("Only users of an accredited higher education institution (HEI) can manage Register API tokens.", await page.InnerTextAsync("main"));
    }

    /// <summary>The page's HTML once Chromium has finished landing (on its own error page, after a refused resubmission).</summary>
    private static async Task<string> SettledContentAsync(IPage page)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await page.WaitForLoadStateAsync(LoadState.Load);
                return await page.ContentAsync();
            }
            catch (PlaywrightException) when (attempt < 50)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>A new provider user of <paramref name="providerId"/>, who follows their sign-in link and sets a password.</summary>
    private async Task<IPage> SignInAsProviderUserAsync(Guid providerId, string first)
    {
        var email = $"{first.ToLowerInvariant()}.{Guid.NewGuid().ToString("N")[..8]}@provider.example.ac.uk";
        await using var scope = Api.Factory.Services.CreateAsyncScope();
        var added = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new AddUser(first, "Browser", email, "provider", false, providerId));
        var page = await NewPageAsync();
        await GoAsync(page, added.SignInPath!);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(WebSession.Password);
        await page.GetByLabel("Confirm password").FillAsync(WebSession.Password);
        await page.RunAndWaitForNavigationAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Set password and sign in" }).ClickAsync());
        return page;
    }
}
