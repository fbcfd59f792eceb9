using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using Register.TestKit;
using Register.Trainees.Features.Trs;

namespace Register.Trainees.Tests;

/// <summary>
/// The provider's trainee pages (<c>/trainees</c>, <c>/trainees/{trainee_id}</c>) over HTTP, with trainees made through the
/// API by the provider's SRS: only the provider's own trainees, search by name or TRN, the status and academic year
/// filters, 25 a page, the read-only trainee page, and 404 and 403 where they belong.
/// </summary>
[Collection(TraineesCollection.Name)]
public sealed class TraineePagesTests(TraineesFixture fixture) : TraineeApiTest(fixture)
{
    private static Dictionary<string, object?> Person(string first, string last, int cycle = 2026) =>
        TraineeRequests.Valid(cycle).With("first_names", first).With("last_name", last).With("email", $"{first}.{last}@example.com".ToLowerInvariant());

    private async Task<string> AddAsync(string first, string last, int cycle = 2026) => (await CreateTraineeAsync(Person(first, last, cycle))).Text("trainee_id");

    private Task<WebSession> ProviderUserAsync() => WebSession.SignInAsProviderUserAsync(Api.Factory, ProviderId);

    /// <summary>Lets the simulated TRS answer what is due: trainees submitted for a TRN receive one.</summary>
    private async Task TrsAnswersAsync()
    {
        Api.Clock.Advance(TimeSpan.FromMinutes(2));
        await Api.Factory.Services.GetRequiredService<TrsWorker>().ProcessDueAsync(CancellationToken.None);
    }

    private static List<string> Names(IHtmlDocument page) =>
        page.QuerySelectorAll(".app-trainees tbody tr td:first-child").Select(td => td.TextContent.Trim()).ToList();

    [Fact]
    public async Task The_list_shows_the_providers_trainees_only_even_when_searching()
    {
        await AddAsync("Ada", "Lovelace");
        var other = await OtherProviderAsync();
        var theirs = await other.PostAsync("/api/v2026.1/trainees", Data(Person("Secret", "Lovelace")));
        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
        var user = await ProviderUserAsync();

        var list = await user.GetAsync("/trainees");
        var searched = await user.GetAsync("/trainees?search=Secret");
        var byLastName = await user.GetAsync("/trainees?search=lovelace");

        Assert.Equal("Registered trainees (1)", list.Heading());
        Assert.Equal(["Ada Lovelace"], Names(list));
        var cells = list.QuerySelectorAll(".app-trainees tbody td").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal(["Ada Lovelace", "–", "Primary and Secondary Postgraduate Fee Funded", "Mathematics", "1 September 2026", "Pending TRN"], cells);
        Assert.Equal("Registered trainees (0)", searched.Heading());
        Assert.Equal("No trainees match ‘Secret’.", searched.GetElementById("no-trainees")!.TextContent.Trim());
        Assert.Equal(["Ada Lovelace"], Names(byLastName));
    }

    [Fact]
    public async Task A_provider_with_no_trainees_sees_no_trainees()
    {
        var user = await ProviderUserAsync();

        var list = await user.GetAsync("/trainees");

        Assert.Equal("Registered trainees (0)", list.Heading());
        Assert.Equal("No trainees.", list.GetElementById("no-trainees")!.TextContent.Trim());
    }

    [Fact]
    public async Task Search_finds_by_last_name_by_first_and_last_name_and_by_trn()
    {
        var ada = await AddAsync("Ada", "Lovelace");
        await AddAsync("Grace", "Hopper");
        await TrsAnswersAsync();
        var trn = (await (await Srs.GetAsync($"/api/v2026.1/trainees/{ada}")).BodyAsync()).Text("trn");
        var user = await ProviderUserAsync();

        Assert.Equal(["Grace Hopper"], Names(await user.GetAsync("/trainees?search=Hopper")));
        Assert.Equal(["Grace Hopper"], Names(await user.GetAsync("/trainees?search=grace+HOP")));
        Assert.Equal(["Ada Lovelace"], Names(await user.GetAsync($"/trainees?search={trn}")));
        var byTrn = await user.GetAsync($"/trainees?search={trn}");
        Assert.Equal(trn, byTrn.QuerySelectorAll(".app-trainees tbody td")[1].TextContent.Trim());
        Assert.Equal(trn, byTrn.GetElementById("search")!.GetAttribute("value"));
        Assert.Empty(Names(await user.GetAsync("/trainees?search=Ada+Hopper")));
    }

    [Fact]
    public async Task Status_and_academic_year_filters_narrow_the_list_and_show_removable_tags()
    {
        await AddAsync("Ada", "Lovelace");
        await TrsAnswersAsync();
        await AddAsync("Grace", "Hopper");
        await AddAsync("Alan", "Turing", cycle: 2025);
        var user = await ProviderUserAsync();

        var received = await user.GetAsync("/trainees?status=trn_received");
        var pending = await user.GetAsync("/trainees?status=submitted_for_trn");
        var lastYear = await user.GetAsync("/trainees?academic_year=2025");
        var both = await user.GetAsync("/trainees?status=submitted_for_trn&academic_year=2026&search=Grace");
        var ignored = await user.GetAsync("/trainees?status=draft&academic_year=nonsense");

        Assert.Equal(["Ada Lovelace"], Names(received));
        Assert.Equal("TRN received", received.QuerySelector(".app-trainees .govuk-tag")!.TextContent.Trim());
        Assert.Equal(["Alan Turing", "Grace Hopper"], Names(pending));
        Assert.Equal(["Alan Turing"], Names(lastYear));
        Assert.Equal(["Grace Hopper"], Names(both));
        Assert.Equal(3, Names(ignored).Count);

        var tags = both.QuerySelectorAll(".app-filter-tag").Select(a => (a.TextContent.Replace("Remove this filter", "").Trim(), a.GetAttribute("href"))).ToList();
        Assert.Equal([("Pending TRN", "/trainees?search=Grace&academic_year=2026"), ("2026 to 2027 - current", "/trainees?search=Grace&status=submitted_for_trn")], tags);
        Assert.Equal("/trainees?search=Grace", both.QuerySelectorAll("a").Single(a => a.TextContent.Trim() == "Clear filters").GetAttribute("href"));
        Assert.True(((IHtmlInputElement)both.GetElementById("status")!).IsChecked);
        var years = both.QuerySelectorAll("input[type=checkbox][name=academic_year]").Select(i => i.GetAttribute("value")).ToList();
        Assert.Equal(["2026", "2025"], years);
        Assert.Equal("Grace", both.QuerySelector("form input[type=hidden][name=search]")!.GetAttribute("value"));
    }

    [Fact]
    public async Task Twenty_six_trainees_are_two_pages_of_twenty_five_newest_change_first()
    {
        for (var i = 0; i < 26; i++)
        {
            await AddAsync($"Trainee{(char)('a' + i)}", "Paged");
        }

        var user = await ProviderUserAsync();

        var first = await user.GetAsync("/trainees");
        var second = await user.GetAsync("/trainees?page=2");

        Assert.Equal("Registered trainees (26)", first.Heading());
        Assert.Equal(25, Names(first).Count);
        Assert.Equal("Traineez Paged", Names(first)[0]);
        Assert.Equal(["Traineea Paged"], Names(second));
        Assert.Contains("Showing 26 to 26 of 26 trainees", second.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal("/trainees?page=2", first.QuerySelector(".govuk-pagination__next a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task The_trainee_page_shows_each_section_with_labels_and_its_degree_placement_and_activity()
    {
        var id = (await CreateTraineeAsync(Person("Ada", "Lovelace")
            .With("placements_attributes", new[] { new { urn = "123456", name = "Elm Academy", postcode = "SW1A 1AA" } }))).Text("trainee_id");
        var user = await ProviderUserAsync();

        var list = await user.GetAsync("/trainees");
        var href = list.QuerySelector(".app-trainees tbody a")!.GetAttribute("href");
        var page = await user.GetAsync(href!);

        Assert.Equal($"/trainees/{id}", href);
        Assert.Equal("Ada Lovelace Pending TRN", string.Join(' ', page.Heading().Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)));
        var cards = page.QuerySelectorAll(".govuk-summary-card__title").Select(h => h.TextContent.Trim()).ToList();
        Assert.Equal("Status", cards[0]);
        Assert.Contains("Personal details", cards);
        Assert.Contains("Diversity information", cards);
        Assert.Contains("Course details", cards);
        Assert.Contains("Funding", cards);
        Assert.Contains("Placement", cards);
        Assert.Contains("Record", cards);
        Assert.Equal(8, cards.Count); // and the one degree
        var rows = page.QuerySelectorAll(".govuk-summary-list__row")
            .Select(r => (r.QuerySelector("dt")!.TextContent.Trim(), r.QuerySelector("dd")!.TextContent.Trim())).ToList();
        Assert.Contains(("TRN", "Not yet received"), rows);
        Assert.Contains(("Date of birth", "1 January 1990"), rows);
        Assert.Contains(("Sex", "Male"), rows);
        Assert.Contains(("Training route", "Primary and Secondary Postgraduate Fee Funded"), rows);
        Assert.Contains(("Subject", "Mathematics"), rows);
        Assert.Contains(("Age range", "11 to 16"), rows);
        Assert.Contains(("ITT start date", "1 September 2026"), rows);
        Assert.Contains(("Fund code", "Not eligible for student finance"), rows);
        Assert.Contains(("Training initiative", "Not on a training initiative"), rows);
        Assert.Contains(("Graduation year", "2012"), rows);
        Assert.Contains(("School or setting", "Elm Academy"), rows);
        Assert.Contains(("Trainee ID", id), rows);
        Assert.Contains("Trainee added", page.GetElementById("activity")!.NextElementSibling!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_providers_trainee_an_unknown_one_and_an_erased_one_are_404()
    {
        var other = await OtherProviderAsync();
        var theirs = (await (await other.PostAsync("/api/v2026.1/trainees", Data(Person("Secret", "Agent")))).BodyAsync()).GetProperty("data").Text("trainee_id");
        var erased = await AddAsync("Erased", "Person");
        var erasure = await Support.PostAsJsonAsync($"/support/trainees/{erased}/erase", new { reason = "Added in error" });
        Assert.Equal(HttpStatusCode.OK, erasure.StatusCode);
        var user = await ProviderUserAsync();

        var page = await user.GetAsync($"/trainees/{theirs}", HttpStatusCode.NotFound);
        await user.GetAsync("/trainees/nosuchtrainee1", HttpStatusCode.NotFound);
        await user.GetAsync($"/trainees/{erased}", HttpStatusCode.NotFound);
        var list = await user.GetAsync("/trainees");

        Assert.Equal("Page not found", page.Heading());
        Assert.Equal("Registered trainees (0)", list.Heading());
    }

    [Fact]
    public async Task Support_users_are_refused_the_trainee_pages()
    {
        var id = await AddAsync("Ada", "Lovelace");
        var support = await WebSession.SignInAsync(Api.Factory);

        var list = await support.GetAsync("/trainees", HttpStatusCode.Forbidden);
        await support.GetAsync($"/trainees/{id}", HttpStatusCode.Forbidden);

        Assert.Equal("You are not authorised to see this page", list.Heading());
    }
}
