using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Register.Access.Contracts;
using Register.TestKit;

namespace Register.Browser.Tests;

/// <summary>A provider user's trainee pages in a browser: the list, searched by keyboard, filtered, and a trainee opened; every page axe-checked.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TraineePagesJourneyTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_provider_user_searches_filters_and_opens_a_trainee()
    {
        var support = await Api.SupportAsync("Support desk");
        var providerId = (await support.CreateAsync(ProviderRequests.Hei("7TP", "Trainee Pages University").With("ukprn", "10000777"))).Id();
        var srs = Api.WithToken(await Api.CreateTokenAsync(support, "trainees_api", providerId, "Pages SRS"));
        var cycle = TraineeRequests.CurrentCycle;
        foreach (var (first, last, year) in new[] { ("Ada", "Lovelace", cycle), ("Grace", "Hopper", cycle), ("Alan", "Turing", cycle - 1) })
        {
            var trainee = TraineeRequests.Valid(year).With("first_names", first).With("last_name", last).With("email", $"{first}@example.com")
                .With("placements_attributes", new[] { new { urn = "123456", name = "Elm Academy", postcode = "SW1A 1AA" } });
            var created = await srs.PostAsync("/api/v2026.1/trainees", System.Net.Http.Json.JsonContent.Create(new { data = trainee }));
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        var page = await SignInAsProviderUserAsync(providerId);
        await GoAsync(page, "/"); // a provider user's start page
        Assert.Equal("Registered trainees (3)", await HeadingAsync(page));

        // Keyboard only: tab to the search box, type, and submit with the keyboard.
        await TypeIntoAsync(page, "#search", "hopper");
        await PressButtonAsync(page, "Search");
        Assert.Equal("Registered trainees (1)", await HeadingAsync(page));
        Assert.Equal(["Grace Hopper"], await NamesAsync(page));
        await ClickLinkAsync(page, "Clear search");
        Assert.Equal("Registered trainees (3)", await HeadingAsync(page));

        await page.GetByLabel(YearLabel(cycle - 1)).CheckAsync();
        await ClickButtonAsync(page, "Apply filters");
        Assert.Equal(["Alan Turing"], await NamesAsync(page));
        Assert.Contains(YearLabel(cycle - 1), string.Join("|", await page.Locator(".app-filter-tag").AllInnerTextsAsync()), StringComparison.Ordinal);
        await ClickLinkAsync(page, "Clear filters");
        await page.GetByLabel("Withdrawn").CheckAsync();
        await ClickButtonAsync(page, "Apply filters");
        Assert.Equal("No trainees match the selected filters.", (await page.Locator("#no-trainees").InnerTextAsync()).Trim());
        await ClickLinkAsync(page, "Clear filters");

        await ClickLinkAsync(page, "Ada Lovelace");
        Assert.StartsWith("Ada Lovelace", await HeadingAsync(page));
        var text = await page.InnerTextAsync("main");
        Assert.Contains("Personal details", text);
        Assert.Contains("Elm Academy", text);
        Assert.Contains("Degree type", text);
        Assert.Contains("Trainee added", text);
        await ClickLinkAsync(page, "All trainees");
        Assert.Equal("Registered trainees (3)", await HeadingAsync(page));
    }

    private static async Task<IReadOnlyList<string>> NamesAsync(IPage page) =>
        (await page.Locator(".app-trainees tbody tr td:first-child").AllInnerTextsAsync()).Select(t => t.Trim()).ToList();

    /// <summary>A new provider user of <paramref name="providerId"/> who follows their sign-in link, sets a password and lands on the trainees.</summary>
    private async Task<IPage> SignInAsProviderUserAsync(Guid providerId)
    {
        var email = $"robin.{Guid.NewGuid().ToString("N")[..8]}@provider.example.ac.uk";
        await using var scope = Api.Factory.Services.CreateAsyncScope();
        var added = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new AddUser("Robin", "Browser", email, "provider", false, providerId));
        var page = await NewPageAsync();
        await GoAsync(page, added.SignInPath!);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(WebSession.Password);
        await page.GetByLabel("Confirm password").FillAsync(WebSession.Password);
        await ClickAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Set password and sign in" }));
        return page;
    }
}
