using System.Net;
using System.Net.Http.Json;
using Register.TestKit;

namespace Register.Partnerships.Tests;

/// <summary>The partnership pages over plain HTTP: the search without JavaScript, and the pages that stop a journey.</summary>
[Collection(PartnershipsCollection.Name)]
public sealed class PartnershipPagesTests(PartnershipsFixture fixture) : ApiTest<PartnershipsFixture>(fixture)
{
    [Fact]
    public async Task Several_matches_are_listed_to_choose_from_and_choosing_none_is_refused()
    {
        var support = await Api.SupportAsync($"Support {Guid.NewGuid():N}");
        var scitt = await support.CreateAsync(ProviderRequests.Scitt("5CH", "Choosing SCITT"));
        var primary = await support.CreateAsync(ProviderRequests.School("2CH", "Larch Primary School"));
        await support.CreateAsync(ProviderRequests.School("2CI", "Larch Secondary School"));
        await support.CreateAsync(ProviderRequests.Scitt("5CI", "Larch SCITT")); // an accredited provider is not a training partner's candidate
        var page = await WebSession.SignInAsync(Api.Factory);
        var start = $"/providers/{scitt.Id()}/partnerships/new";

        var choose = await WebSession.ParseAsync(await page.SubmitAsync(start, new() { ["partner"] = "larch" }));
        var none = await page.SubmitAsync(choose);
        var chosen = await page.SubmitAsync(choose, new() { ["partner_id"] = primary.Id().ToString() });

        Assert.Equal(["Larch Primary School", "Larch Secondary School"], choose.QuerySelectorAll(".govuk-radios__label").Select(l => l.TextContent.Trim()).ToList());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, none.StatusCode);
        Assert.Equal(["Select the training partner"], (await WebSession.ParseAsync(none)).ErrorSummary());
        Assert.Equal($"{start}/dates", chosen.Headers.Location?.OriginalString);
        var nothing = await page.SubmitAsync(start, new() { ["partner"] = "no such provider" });
        Assert.Equal(["No training partner matches ‘no such provider’: check the name, code, UKPRN or URN"], (await WebSession.ParseAsync(nothing)).ErrorSummary());
    }

    [Fact]
    public async Task An_overlapping_partnership_stops_at_a_page_that_says_it_already_exists_and_nothing_is_saved()
    {
        var support = await Api.SupportAsync($"Support {Guid.NewGuid():N}");
        var scitt = await support.CreateAsync(ProviderRequests.Scitt("5OV", "Overlap SCITT"));
        var school = await support.CreateAsync(ProviderRequests.School("2OV", "Overlap School"));
        (await support.PostAsJsonAsync("/support/partnerships", new
        {
            accredited_provider_id = scitt.Id(),
            training_partner_id = school.Id(),
            start_date = "2024-08-01",
            end_date = "2025-07-31",
            academic_years = new[] { 2024 },
        })).EnsureSuccessStatusCode();
        var page = await WebSession.SignInAsync(Api.Factory);
        var start = $"/providers/{scitt.Id()}/partnerships/new";

        await page.SubmitAsync(start, new() { ["partner"] = "2OV" });
        await page.SubmitAsync($"{start}/dates", new() { ["start_date-day"] = "1", ["start_date-month"] = "2", ["start_date-year"] = "2025", ["end_date-day"] = "31", ["end_date-month"] = "7", ["end_date-year"] = "2025" });
        await page.SubmitAsync($"{start}/academic-years", new() { ["academic_years"] = "2024" });
        var saved = await page.SubmitAsync($"{start}/check");

        Assert.Equal(HttpStatusCode.Conflict, saved.StatusCode);
        var stop = await WebSession.ParseAsync(saved);
        Assert.Equal("This partnership already exists", stop.Heading());
        Assert.Contains("Overlap SCITT and Overlap School already have a partnership whose dates overlap these.", stop.Text());
        Assert.Equal($"{start}/dates", stop.QuerySelector(".govuk-back-link")!.GetAttribute("href"));
        var partnerships = (await (await support.GetAsync($"/support/providers/{scitt.Id()}/partnerships")).BodyAsync()).GetProperty("data");
        Assert.Equal(1, partnerships.GetArrayLength());
    }

    [Fact]
    public async Task Dates_that_match_no_academic_year_stop_at_a_page_that_says_why()
    {
        var support = await Api.SupportAsync($"Support {Guid.NewGuid():N}");
        var scitt = await support.CreateAsync(ProviderRequests.Scitt("5NY", "Years SCITT"));
        await support.CreateAsync(ProviderRequests.School("2NY", "Years School"));
        var page = await WebSession.SignInAsync(Api.Factory);
        var start = $"/providers/{scitt.Id()}/partnerships/new";
        var farAhead = DateTime.UtcNow.Year + 5;

        await page.SubmitAsync(start, new() { ["partner"] = "2NY" });
        var dates = await page.SubmitAsync($"{start}/dates", new() { ["start_date-day"] = "1", ["start_date-month"] = "9", ["start_date-year"] = $"{farAhead}" });
        var years = await page.GetAsync($"{start}/academic-years");

        Assert.Equal($"{start}/academic-years", dates.Headers.Location?.OriginalString);
        Assert.Equal("No academic years match your partnership dates", years.Heading());
        Assert.Empty(years.QuerySelectorAll("input[name=academic_years]"));
        Assert.Equal(start, (await page.Client.GetAsync($"{start}/check")).Headers.Location?.OriginalString); // nothing to check without years
    }
}
