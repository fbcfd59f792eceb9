using System.Net;
using System.Net.Http.Json;
using Register.TestKit;

namespace Register.Providers.Tests;

/// <summary>The provider pages over plain HTTP: the rules the pages share with the support API, and their journeys' answers.</summary>
[Collection(ProvidersCollection.Name)]
public sealed class ProviderPagesTests(ProvidersFixture fixture) : ApiTest<ProvidersFixture>(fixture)
{
    [Fact]
    public async Task The_list_filters_by_type_status_year_and_archived_with_a_removable_tag_each()
    {
        var support = await Api.SupportAsync($"Support {Guid.NewGuid():N}");
        await support.CreateAsync(ProviderRequests.Scitt("5AA", "Alpha SCITT"));
        await support.CreateAsync(ProviderRequests.School("2BB", "Beta School"));
        var archived = await support.CreateAsync(ProviderRequests.Hei("1CC", "Gamma University"));
        await support.PostAsync($"/support/providers/{archived.Id()}/archive", null);
        var page = await WebSession.SignInAsync(Api.Factory);

        var all = await page.GetAsync("/providers");
        var schools = await page.GetAsync("/providers?provider_type=scitt_or_school&accreditation_status=unaccredited");
        var withArchived = await page.GetAsync("/providers?include_archived=true&keywords=gamma");

        Assert.Equal("Providers (2)", all.Heading());
        Assert.Equal("Providers (1)", schools.Heading());
        Assert.Contains("Beta School", schools.Text());
        Assert.Equal(["Remove this filter School", "Remove this filter Not accredited"], schools.QuerySelectorAll(".app-filter-tag").Select(t => t.TextContent.Trim()).ToList());
        Assert.Equal("/providers?accreditation_status=unaccredited", schools.QuerySelector(".app-filter-tag")!.GetAttribute("href"));
        Assert.Equal("Providers (1)", withArchived.Heading());
        Assert.Contains("Archived", withArchived.QuerySelector(".govuk-summary-card__title")!.TextContent);
    }

    [Fact]
    public async Task Control_characters_in_a_pages_address_are_dropped_as_a_browser_would()
    {
        var support = await Api.SupportAsync($"Support {Guid.NewGuid():N}");
        await support.CreateAsync(ProviderRequests.Hei("1CC", "Gamma University"));
        var page = await WebSession.SignInAsync(Api.Factory);

        var searched = await page.GetAsync("/providers?keywords=gam%00ma%07&include_archived=true%0A");
        var badPath = await page.Client.GetAsync("/providers/abc%07def");

        Assert.Equal("Providers (1)", searched.Heading());
        Assert.Contains("Gamma University", searched.Text());
        Assert.True((int)badPath.StatusCode is 400 or 404, $"{(int)badPath.StatusCode}");
    }

    [Fact]
    public async Task Adding_a_provider_keeps_the_answers_and_follows_a_changed_onboarding_date()
    {
        var page = await WebSession.SignInAsync(Api.Factory);

        Assert.Equal("/providers/new/first-active", (await page.SubmitAsync("/providers/new",
            new() { ["onboarded"] = "other", ["onboarded_on-day"] = "1", ["onboarded_on-month"] = "9", ["onboarded_on-year"] = "2024" })).Headers.Location?.OriginalString);
        await page.SubmitAsync("/providers/new/first-active", new() { ["first_active"] = "same" });
        await page.SubmitAsync("/providers/new/accredited", new() { ["accredited"] = "no" });
        var unaccreditedScitt = await WebSession.ParseAsync(await page.SubmitAsync("/providers/new/type", new() { ["provider_type"] = "scitt" }));
        Assert.Equal(["School-centred initial teacher training (SCITT) must be accredited"], unaccreditedScitt.ErrorSummary());
        await page.SubmitAsync("/providers/new/type", new() { ["provider_type"] = "school" });
        var details = await WebSession.ParseAsync(await page.SubmitAsync("/providers/new/details",
            new() { ["operating_name"] = "Oak Academy", ["ukprn"] = "10011111", ["code"] = "o4k" }));
        Assert.Equal(["Enter unique reference number (URN)"], details.ErrorSummary());
        Assert.Equal("#urn", details.QuerySelector(".govuk-error-summary__list a")!.GetAttribute("href"));
        Assert.Equal("Oak Academy", details.GetElementById("operating_name")!.GetAttribute("value"));
        await page.SubmitAsync("/providers/new/details", new() { ["operating_name"] = "Oak Academy", ["ukprn"] = "10011111", ["urn"] = "123456", ["code"] = "o4k" });
        Assert.Equal("/providers/new/check", (await page.SubmitAsync("/providers/new/address",
            new() { ["address_line_1"] = "1 Oak Road", ["town_or_city"] = "Leeds", ["postcode"] = "LS1 1AA" })).Headers.Location?.OriginalString);

        await page.SubmitAsync("/providers/new?change=true",
            new() { ["onboarded"] = "other", ["onboarded_on-day"] = "2", ["onboarded_on-month"] = "9", ["onboarded_on-year"] = "2024" });
        var check = await page.GetAsync("/providers/new/check");
        Assert.Contains("Onboard at 2 September 2024", check.Text());
        Assert.Contains("First active at 2 September 2024", check.Text());
        Assert.Contains("Is the provider accredited? No", check.Text());

        var toHei = await page.SubmitAsync("/providers/new/accredited?change=true", new() { ["accredited"] = "yes" });
        Assert.Equal("/providers/new/type?change=true", toHei.Headers.Location?.OriginalString);
        await page.SubmitAsync("/providers/new/type?change=true", new() { ["provider_type"] = "scitt" });
        Assert.Equal("/providers/new/accreditation", (await page.Client.GetAsync("/providers/new/check")).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_code_taken_while_the_journey_was_open_shows_on_the_check_page_linked_to_its_step_and_saves_nothing()
    {
        var support = await Api.SupportAsync($"Support {Guid.NewGuid():N}");
        var provider = await support.CreateAsync(ProviderRequests.Hei("1TK", "Taken University"));
        var page = await WebSession.SignInAsync(Api.Factory);
        await page.SubmitAsync($"/providers/{provider.Id()}/edit", new() { ["operating_name"] = "Renamed University", ["code"] = "1TL" });
        await support.CreateAsync(ProviderRequests.Hei("1TL", "Quicker University"));

        var saved = await page.SubmitAsync($"/providers/{provider.Id()}/check");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, saved.StatusCode);
        var check = await WebSession.ParseAsync(saved);
        Assert.Single(check.ErrorSummary());
        Assert.Contains("code", check.ErrorSummary()[0], StringComparison.OrdinalIgnoreCase);
        Assert.Equal($"/providers/{provider.Id()}/edit?change=true#code", check.QuerySelector(".govuk-error-summary__list a")!.GetAttribute("href"));
        Assert.Equal("Taken University", (await (await support.GetAsync($"/support/providers/{provider.Id()}")).BodyAsync()).GetProperty("data").Text("operating_name"));
    }

    [Fact]
    public async Task Changing_a_provider_starts_from_the_provider_not_from_an_abandoned_draft()
    {
        var support = await Api.SupportAsync($"Support {Guid.NewGuid():N}");
        var provider = await support.CreateAsync(ProviderRequests.Hei("1DR", "Draft University"));
        var page = await WebSession.SignInAsync(Api.Factory);

        await page.SubmitAsync($"/providers/{provider.Id()}/edit", new() { ["operating_name"] = "Abandoned Name" });
        var again = await page.GetAsync($"/providers/{provider.Id()}/edit");
        var fromCheck = await page.GetAsync($"/providers/{provider.Id()}/edit?change=true");

        Assert.Equal("Draft University", again.GetElementById("operating_name")!.GetAttribute("value"));
        Assert.Equal("Abandoned Name", fromCheck.GetElementById("operating_name")!.GetAttribute("value"));
    }

    [Fact]
    public async Task A_contacts_email_already_used_for_the_provider_is_refused_on_the_form()
    {
        var support = await Api.SupportAsync($"Support {Guid.NewGuid():N}");
        var provider = await support.CreateAsync(ProviderRequests.Hei("1EM", "Email University"));
        await support.PostAsJsonAsync($"/support/providers/{provider.Id()}/contacts", new { first_name = "Ada", last_name = "L", email = "ada@example.ac.uk" });
        var page = await WebSession.SignInAsync(Api.Factory);

        var response = await page.SubmitAsync($"/providers/{provider.Id()}/contacts/new",
            new() { ["first_name"] = "Alan", ["last_name"] = "T", ["email"] = "ADA@example.ac.uk" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("Email address is already associated with a user, use a different one", (await WebSession.ParseAsync(response)).FieldError("email"));
    }

    [Fact]
    public async Task An_archived_providers_parts_cannot_be_changed_through_the_pages()
    {
        var support = await Api.SupportAsync($"Support {Guid.NewGuid():N}");
        var provider = await support.CreateAsync(ProviderRequests.Scitt("5AR", "Archived SCITT"));
        var page = await WebSession.SignInAsync(Api.Factory);
        var form = await page.GetAsync($"/providers/{provider.Id()}/contacts/new");
        Assert.NotNull(form.QuerySelector("input[name=first_name]"));
        await support.PostAsync($"/support/providers/{provider.Id()}/archive", null);

        var blocked = await page.Client.GetAsync($"/providers/{provider.Id()}/contacts/new");
        var tab = await page.GetAsync($"/providers/{provider.Id()}/accreditations");

        Assert.Equal(HttpStatusCode.Conflict, blocked.StatusCode);
        Assert.Contains("archived", (await WebSession.ParseAsync(blocked)).Text());
        Assert.Empty(tab.QuerySelectorAll(".govuk-summary-card__actions"));
        Assert.DoesNotContain("Add accreditation", tab.Text());
    }
}
