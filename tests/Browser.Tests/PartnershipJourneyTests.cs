using System.Net.Http.Json;
using Microsoft.Playwright;
using Register.TestKit;

namespace Register.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class PartnershipJourneyTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Adding_a_partnership_with_the_autocomplete_using_the_keyboard_only()
    {
        var support = await Api.SupportAsync($"Support {Guid.NewGuid():N}");
        var scitt = await support.CreateAsync(ProviderRequests.Scitt("5KB", "Keyboard SCITT"));
        await support.CreateAsync(ProviderRequests.School("2OK", "Oakwood Primary School"));
        await support.CreateAsync(ProviderRequests.School("2OL", "Olive Tree School").With("urn", "654321"));
        var page = await SignInAsync();
        await GoAsync(page, $"/providers/{scitt.Id()}/partnerships");
        Assert.Contains("There are no partnerships for Keyboard SCITT.", await page.InnerTextAsync("main"));

        await PressButtonAsync(page, "Add partnership");
        Assert.Equal("Enter training partner name, code, UKPRN or URN", await HeadingAsync(page));
        await TabToAsync(page, "#partner");
        await page.Keyboard.TypeAsync("Oakw");
        await page.Locator(".autocomplete__option", new() { HasText = "Oakwood Primary School" }).WaitForAsync();
        await CheckAccessibilityAsync(page);
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("Oakwood Primary School", await page.InputValueAsync("#partner"));
        await PressButtonAsync(page, "Continue");

        Assert.Equal("Partnership dates", await HeadingAsync(page));
        await PressButtonAsync(page, "Continue");
        Assert.Equal(["Enter date the partnership started"], await ErrorSummaryAsync(page));
        await TypeIntoAsync(page, "#start_date", "1");
        await TypeIntoAsync(page, "#start_date-month", "8");
        await TypeIntoAsync(page, "#start_date-year", "2024");
        await TypeIntoAsync(page, "#end_date", "31");
        await TypeIntoAsync(page, "#end_date-month", "7");
        await TypeIntoAsync(page, "#end_date-year", "2023");
        await PressButtonAsync(page, "Continue");
        Assert.Equal(["The partnership end date must be the same as or after the date it started"], await ErrorSummaryAsync(page));
        await TypeIntoAsync(page, "#end_date-year", "2026");
        await PressButtonAsync(page, "Continue");

        Assert.Equal("Academic year", await HeadingAsync(page));
        Assert.Equal([YearLabel(2025), YearLabel(2024)], (await page.Locator(".govuk-checkboxes__label").AllInnerTextsAsync()).Select(t => t.Trim()).ToList());
        await PressButtonAsync(page, "Continue");
        Assert.Equal(["Select academic year"], await ErrorSummaryAsync(page));
        await TickAsync(page, "input[name=academic_years][value='2024']");
        await TickAsync(page, "input[name=academic_years][value='2025']");
        await PressButtonAsync(page, "Continue");

        Assert.Equal("Check your answers", await HeadingAsync(page));
        await PressButtonAsync(page, "Save partnership");
        Assert.Equal("Partnership added", await FlashAsync(page));
        Assert.Contains("Oakwood Primary School", (await page.Locator(".govuk-summary-card__title").AllInnerTextsAsync()).Select(t => t.Trim()));
    }

    [Fact]
    public async Task Without_javascript_the_partner_search_lists_the_matches_and_an_overlap_stops()
    {
        var support = await Api.SupportAsync($"Support {Guid.NewGuid():N}");
        var school = await support.CreateAsync(ProviderRequests.School("2NJ", "No Script School"));
        await support.CreateAsync(ProviderRequests.Scitt("5NA", "Northern Alliance SCITT"));
        await support.CreateAsync(ProviderRequests.Scitt("5NB", "Northern Bridge SCITT").With("ukprn", "10067891"));
        var page = await SignInAsync(javaScript: false);

        await GoAsync(page, $"/providers/{school.Id()}/partnerships/new");
        Assert.Equal("Enter accredited provider name, code, UKPRN or URN", await HeadingAsync(page));
        await ClickButtonAsync(page, "Continue");
        Assert.Equal(["Enter accredited provider name, code, UKPRN or URN"], await ErrorSummaryAsync(page));
        await page.GetByLabel("Enter accredited provider name, code, UKPRN or URN").FillAsync("northern");
        await ClickButtonAsync(page, "Continue");

        Assert.Equal("Select the accredited provider", await HeadingAsync(page));
        await page.GetByLabel("Northern Bridge SCITT").CheckAsync();
        await ClickButtonAsync(page, "Continue");
        await FillDatesAsync(page, "1 8 2024", null);
        await page.GetByLabel(YearLabel(2024)).CheckAsync();
        await ClickButtonAsync(page, "Continue");
        await ClickButtonAsync(page, "Save partnership");
        Assert.Equal("Partnership added", await FlashAsync(page));

        await GoAsync(page, $"/providers/{school.Id()}/partnerships/new");
        await page.GetByLabel("Enter accredited provider name, code, UKPRN or URN").FillAsync("5NB");
        await ClickButtonAsync(page, "Continue");
        await FillDatesAsync(page, "1 9 2025", null);
        await page.GetByLabel(YearLabel(2025)).CheckAsync();
        await ClickButtonAsync(page, "Continue");
        var stop = await page.RunAndWaitForNavigationAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Save partnership" }).ClickAsync());
        Assert.Equal(409, stop!.Status);
        Assert.Equal("This partnership already exists", await HeadingAsync(page));
        await KeepHtmlAsync(page, stop);
        await CheckAccessibilityAsync(page);
        await ClickLinkAsync(page, "Change partnership dates");
        Assert.Equal("Partnership dates", await HeadingAsync(page));
    }

    [Fact]
    public async Task A_partnership_is_changed_and_deleted_from_either_side()
    {
        var support = await Api.SupportAsync($"Support {Guid.NewGuid():N}");
        var scitt = await support.CreateAsync(ProviderRequests.Scitt("5ED", "Edit SCITT"));
        var school = await support.CreateAsync(ProviderRequests.School("2ED", "Edit School"));
        var created = await support.PostAsJsonAsync("/support/partnerships", new
        {
            accredited_provider_id = scitt.Id(),
            training_partner_id = school.Id(),
            start_date = "2024-08-01",
            academic_years = new[] { 2024 },
        });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var page = await SignInAsync();

        await GoAsync(page, $"/providers/{school.Id()}/partnerships");
        await ClickAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "Change (Edit SCITT)" }));
        Assert.Equal("Partnership dates", await HeadingAsync(page));
        await FillDatesAsync(page, "1 8 2024", "31 7 2026");
        Assert.True(await page.GetByLabel(YearLabel(2024)).IsCheckedAsync());
        await page.GetByLabel(YearLabel(2025)).CheckAsync();
        await ClickButtonAsync(page, "Continue");
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Change training partner" }).CountAsync());
        await ClickButtonAsync(page, "Save partnership");
        Assert.Equal("Partnership updated", await FlashAsync(page));

        await ClickLinkAsync(page, "Edit SCITT");
        Assert.Equal("Edit SCITT", await HeadingAsync(page));
        await ClickAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "Delete (Edit School)" }));
        Assert.Equal("Confirm you want to delete the partnership with Edit School", await HeadingAsync(page));
        await ClickButtonAsync(page, "Delete partnership");
        Assert.Equal("Partnership deleted", await FlashAsync(page));
        Assert.Contains("There are no partnerships for Edit SCITT.", await page.InnerTextAsync("main"));
    }

    /// <summary>Fills the dates page ("d m yyyy") and continues.</summary>
    private async Task FillDatesAsync(IPage page, string start, string? end)
    {
        Assert.Equal("Partnership dates", await HeadingAsync(page));
        var s = start.Split(' ');
        await page.FillAsync("#start_date", s[0]);
        await page.FillAsync("#start_date-month", s[1]);
        await page.FillAsync("#start_date-year", s[2]);
        var e = end?.Split(' ') ?? ["", "", ""];
        await page.FillAsync("#end_date", e[0]);
        await page.FillAsync("#end_date-month", e[1]);
        await page.FillAsync("#end_date-year", e[2]);
        await ClickButtonAsync(page, "Continue");
    }
}
