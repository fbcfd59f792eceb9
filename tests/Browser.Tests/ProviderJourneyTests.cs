using Microsoft.Playwright;
using Register.TestKit;

namespace Register.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class ProviderJourneyTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_support_user_finds_providers_by_search_and_removable_filters()
    {
        var support = await Api.SupportAsync($"Support {Guid.NewGuid():N}");
        await support.CreateAsync(ProviderRequests.Scitt("5LS", "Leeds Teaching Alliance SCITT"));
        await support.CreateAsync(ProviderRequests.School("2LP", "Leeds Primary School"));
        await support.CreateAsync(ProviderRequests.Hei("1YK", "University of York"));
        var page = await SignInAsync();

        Assert.Equal("Providers (3)", await HeadingAsync(page));
        await page.GetByLabel("Search by provider name, UKPRN or URN").FillAsync("leeds");
        await ClickButtonAsync(page, "Search");
        Assert.Equal("Providers (2)", await HeadingAsync(page));

        await page.GetByLabel("Accredited", new() { Exact = true }).CheckAsync();
        await ClickButtonAsync(page, "Apply filters");
        Assert.Equal("Providers (1)", await HeadingAsync(page));
        Assert.Contains("Leeds Teaching Alliance SCITT", await page.Locator(".govuk-summary-card__title a").AllInnerTextsAsync());

        await ClickAsync(page, page.Locator(".app-filter-tag", new() { HasText = "Accredited" }));
        Assert.Equal("Providers (2)", await HeadingAsync(page));
        await ClickLinkAsync(page, "Clear search");
        Assert.Equal("Providers (3)", await HeadingAsync(page));
    }

    [Fact]
    public async Task Adding_an_accredited_provider_with_the_keyboard_only()
    {
        var page = await SignInAsync();
        await PressButtonAsync(page, "Add provider");

        Assert.Equal("When did the provider onboard?", await HeadingAsync(page));
        await PressButtonAsync(page, "Continue");
        Assert.Equal(["Select when the provider was onboarded"], await ErrorSummaryAsync(page));
        await PickRadioAsync(page, "onboarded", "today");
        await PressButtonAsync(page, "Continue");

        Assert.Equal("When did the provider first become active?", await HeadingAsync(page));
        await PickRadioAsync(page, "first_active", "same");
        await PressButtonAsync(page, "Continue");

        await PickRadioAsync(page, "accredited", "yes");
        await PressButtonAsync(page, "Continue");

        Assert.Equal("Provider type", await HeadingAsync(page));
        Assert.Equal(0, await page.GetByLabel("School", new() { Exact = true }).CountAsync());
        await PickRadioAsync(page, "provider_type", "scitt");
        await PressButtonAsync(page, "Continue");

        Assert.Equal("Provider details", await HeadingAsync(page));
        await TypeIntoAsync(page, "#operating_name", "Keyboard Teaching School SCITT");
        await TypeIntoAsync(page, "#ukprn", "1234");
        await PressButtonAsync(page, "Continue");
        Assert.Equal(
            ["Enter a valid UK provider reference number (UKPRN)", "Enter unique reference number (URN)", "Enter provider code"],
            await ErrorSummaryAsync(page));
        await TypeIntoAsync(page, "#ukprn", "10034567");
        await TypeIntoAsync(page, "#urn", "123456");
        await TypeIntoAsync(page, "#code", "k9t");
        await PressButtonAsync(page, "Continue");

        Assert.Equal("Accreditation details", await HeadingAsync(page));
        await TypeIntoAsync(page, "#number", "5678");
        await TypeIntoAsync(page, "#start_date", "1");
        await TypeIntoAsync(page, "#start_date-month", "8");
        await TypeIntoAsync(page, "#start_date-year", "2024");
        await PressButtonAsync(page, "Continue");

        Assert.Equal("Address", await HeadingAsync(page));
        await TypeIntoAsync(page, "#address_line_1", "1 Keyboard Way");
        await TypeIntoAsync(page, "#town_or_city", "Sheffield");
        await TypeIntoAsync(page, "#postcode", "s1 2hh");
        await PressButtonAsync(page, "Continue");

        Assert.Equal("Check your answers", await HeadingAsync(page));
        var answers = await page.Locator(".govuk-summary-list").AllInnerTextsAsync();
        Assert.Contains(answers, a => a.Contains("K9T", StringComparison.Ordinal) && a.Contains("School-centred initial teacher training (SCITT)", StringComparison.Ordinal));
        Assert.Contains(answers, a => a.Contains("S1 2HH", StringComparison.Ordinal));
        await PressButtonAsync(page, "Save provider");

        Assert.Equal("Provider added", await FlashAsync(page));
        await ClickLinkAsync(page, "Keyboard Teaching School SCITT");
        var details = await page.Locator(".govuk-summary-list").InnerTextAsync();
        Assert.Contains("Accredited", details, StringComparison.Ordinal);
        Assert.Matches(@"RoTP-\d{2}[A-Z]\d[A-Z]{2}\d{2}", details);
        await ClickLinkAsync(page, "Accreditations");
        Assert.Contains("Accreditation 5678", (await page.Locator(".govuk-summary-card__title").AllInnerTextsAsync()).Select(t => t.Trim()));
    }

    [Fact]
    public async Task A_provider_is_changed_then_archived_read_only_restored_and_deleted()
    {
        var support = await Api.SupportAsync($"Support {Guid.NewGuid():N}");
        var provider = await support.CreateAsync(ProviderRequests.Hei("1CH", "University of Change"));
        var page = await SignInAsync();
        await GoAsync(page, $"/providers/{provider.Id()}");

        await ClickAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "Change operating name" }));
        await page.GetByLabel("Operating name").FillAsync("University of Changes");
        await ClickButtonAsync(page, "Continue");
        Assert.Equal("Check your answers", await HeadingAsync(page));
        await ClickButtonAsync(page, "Save provider");
        Assert.Equal("Provider updated", await FlashAsync(page));
        Assert.Equal("University of Changes", await HeadingAsync(page));

        await ClickLinkAsync(page, "Contacts");
        Assert.Contains("There are no contacts for University of Changes.", await page.InnerTextAsync("main"));
        await ClickLinkAsync(page, "Add contact");
        await page.GetByLabel("First name").FillAsync("Ada");
        await page.GetByLabel("Last name").FillAsync("Lovelace");
        await page.GetByLabel("Email address").FillAsync("not an email");
        await ClickButtonAsync(page, "Continue");
        Assert.Equal(["Enter an email address in the correct format, like name@example.com"], await ErrorSummaryAsync(page));
        await page.GetByLabel("Email address").FillAsync("ada@example.ac.uk");
        await ClickButtonAsync(page, "Continue");
        await ClickButtonAsync(page, "Save contact");
        Assert.Equal("Contact added", await FlashAsync(page));
        Assert.Contains("Ada Lovelace", (await page.Locator(".govuk-summary-card__title").AllInnerTextsAsync()).Select(t => t.Trim()));

        await ClickLinkAsync(page, "Provider details");
        await ClickLinkAsync(page, "Archive provider");
        Assert.Equal("Confirm you want to archive University of Changes", await HeadingAsync(page));
        await ClickButtonAsync(page, "Archive provider");
        Assert.Equal("Provider archived", await FlashAsync(page));
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Change operating name" }).CountAsync());
        await ClickLinkAsync(page, "Contacts");
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Add contact" }).CountAsync());
        Assert.Equal(0, await page.Locator(".govuk-summary-card__actions").CountAsync());

        await ClickLinkAsync(page, "Provider details");
        await ClickLinkAsync(page, "Restore provider");
        await ClickButtonAsync(page, "Restore provider");
        Assert.Equal("Provider restored", await FlashAsync(page));

        await ClickLinkAsync(page, "Archive provider");
        await ClickButtonAsync(page, "Archive provider");
        await ClickLinkAsync(page, "Delete provider");
        Assert.Contains("Deleting a provider is permanent – you cannot undo it.", await page.InnerTextAsync("main"));
        await ClickButtonAsync(page, "Delete provider");
        Assert.Equal("Provider deleted", await FlashAsync(page));
        Assert.DoesNotContain("University of Changes", await page.InnerTextAsync("main"));
        var gone = await page.GotoAsync($"/providers/{provider.Id()}");
        Assert.Equal(404, gone!.Status);
        Assert.Equal("Page not found", await HeadingAsync(page));
        await CheckAccessibilityAsync(page);
    }
}
