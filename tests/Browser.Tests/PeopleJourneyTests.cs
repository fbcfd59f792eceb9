using Microsoft.Playwright;
using Register.TestKit;

namespace Register.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class PeopleJourneyTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_support_user_adds_a_user_who_signs_in_with_the_link_they_are_sent()
    {
        var page = await SignInAsync(first: "Morgan");
        await ClickLinkAsync(page, "Users");
        await ClickLinkAsync(page, "Add user");
        await ClickButtonAsync(page, "Continue");
        Assert.Contains("Enter first name", await ErrorSummaryAsync(page));
        await page.GetByLabel("First name").FillAsync("Rowan");
        await page.GetByLabel("Last name").FillAsync("Atkinson");
        await page.GetByLabel("Email address").FillAsync("rowan.atkinson@education.gov.uk");
        await page.GetByLabel("No").CheckAsync();
        await ClickButtonAsync(page, "Continue");
        Assert.Equal("Check your answers", await HeadingAsync(page));
        await ClickButtonAsync(page, "Save user");
        Assert.Equal("User added", (await page.Locator(".govuk-panel__title").InnerTextAsync()).Trim());
        var link = (await page.Locator("#sign-in-link").InnerTextAsync()).Trim();

        var newcomer = await NewPageAsync();
        await GoAsync(newcomer, new Uri(link).PathAndQuery);
        Assert.Equal("Set your password", await HeadingAsync(newcomer));
        await newcomer.GetByLabel("Password", new() { Exact = true }).FillAsync("a long enough passphrase");
        await newcomer.GetByLabel("Confirm password").FillAsync("a long enough passphrase");
        await ClickButtonAsync(newcomer, "Set password and sign in");
        Assert.Equal("Your password is set", await FlashAsync(newcomer));
        await ClickButtonAsync(newcomer, "Sign out");
        Assert.Equal("Sign in to Register of training providers", await HeadingAsync(newcomer));
        await newcomer.GetByLabel("Email address").FillAsync("rowan.atkinson@education.gov.uk");
        await newcomer.GetByLabel("Password").FillAsync("a long enough passphrase");
        await ClickButtonAsync(newcomer, "Sign in");
        Assert.StartsWith("Providers (", await HeadingAsync(newcomer));

        await ClickLinkAsync(page, "Users");
        await ClickLinkAsync(page, "Rowan Atkinson");
        Assert.Contains("Last signed in at", await page.InnerTextAsync("main"));
    }

    [Fact]
    public async Task An_api_user_creates_a_client_sees_its_token_once_and_revokes_it()
    {
        var page = await SignInAsync("api_user", first: "Quinn");
        Assert.Equal("API clients", await HeadingAsync(page));
        Assert.Equal(["API clients", "Your account", "Sign out"], (await page.Locator(".govuk-service-navigation__item").AllInnerTextsAsync()).Select(t => t.Trim()).ToList());

        await ClickLinkAsync(page, "Add API client");
        await page.GetByLabel("Client name").FillAsync("Quinn's sync job");
        var expires = DateTime.UtcNow.AddMonths(13);
        await page.GetByLabel("Day").FillAsync($"{expires.Day}");
        await page.GetByLabel("Month").FillAsync($"{expires.Month}");
        await page.GetByLabel("Year").FillAsync($"{expires.Year}");
        await ClickButtonAsync(page, "Continue");
        Assert.StartsWith("Expiry date must be between", (await ErrorSummaryAsync(page))[0]);
        var ok = DateTime.UtcNow.AddMonths(6);
        await page.GetByLabel("Day").FillAsync($"{ok.Day}");
        await page.GetByLabel("Month").FillAsync($"{ok.Month}");
        await page.GetByLabel("Year").FillAsync($"{ok.Year}");
        await ClickButtonAsync(page, "Continue");
        Assert.Contains("An authentication token will be created and shown once on the next page.", await page.InnerTextAsync("main"));
        await ClickButtonAsync(page, "Save API client");
        Assert.Equal("API client token created", (await page.Locator(".govuk-panel__title").InnerTextAsync()).Trim());
        var token = (await page.Locator("#token").InnerTextAsync()).Trim();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Api.WithToken(token).GetAsync("/api/v1/providers")).StatusCode);

        await ClickLinkAsync(page, "View the API client");
        Assert.DoesNotContain(token, await page.ContentAsync());
        Assert.Contains("Usage", await page.InnerTextAsync("main"));
        await ClickLinkAsync(page, "Revoke API client");
        Assert.Contains("Revoking an API client is permanent – you cannot undo it.", await page.InnerTextAsync("main"));
        await ClickButtonAsync(page, "Revoke API client");
        Assert.Equal("API client revoked", await FlashAsync(page));
        Assert.Contains("Revoked", await page.Locator(".govuk-tag").AllInnerTextsAsync());
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await Api.WithToken(token).GetAsync("/api/v1/providers")).StatusCode);

        var refused = await page.GotoAsync("/providers");
        Assert.Equal(403, refused!.Status);
        Assert.Equal("You are not authorised to see this page", await HeadingAsync(page));
        await CheckAccessibilityAsync(page);
    }

    [Fact]
    public async Task The_activity_log_shows_every_modules_changes_by_day_and_a_providers_own()
    {
        var support = await Api.SupportAsync("Support desk");
        var provider = await support.CreateAsync(ProviderRequests.Scitt("5AL", "Activity SCITT"));
        var page = await SignInAsync();

        await ClickLinkAsync(page, "Activity log");
        var text = await page.InnerTextAsync("main");
        Assert.Contains("Today", text);
        Assert.Contains("Provider added", text);
        Assert.Contains("Provider accreditation added", text);
        Assert.Contains("User added", text);
        Assert.Matches(@"By Support desk on \d{1,2} [A-Z][a-z]+ \d{4} at \d{1,2}(:\d{2})?(am|pm)", text);

        await GoAsync(page, $"/providers/{provider.Id()}/activity");
        Assert.StartsWith("Activity (", (await page.Locator("main h2").First.InnerTextAsync()).Trim());
        Assert.DoesNotContain("User added", await page.InnerTextAsync("main"));
    }
}
