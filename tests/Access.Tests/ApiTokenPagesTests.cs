using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using Register.TestKit;

namespace Register.Access.Tests;

/// <summary>The provider service's SRS API token pages (<c>/api-tokens</c>): users of an accredited HEI only.</summary>
[Collection(AccessCollection.Name)]
public sealed partial class ApiTokenPagesTests(AccessFixture fixture) : ApiTest<AccessFixture>(fixture)
{
    private static DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/London")).DateTime);

    [Fact]
    public async Task A_user_of_an_accredited_hei_generates_a_token_shown_once_uses_it_and_revokes_it()
    {
        var support = await Api.SupportAsync();
        var hei = await CreateAccreditedHeiAsync(support);
        var user = await WebSession.SignInAsProviderUserAsync(Api.Factory, hei, "Pat");

        var empty = await user.GetAsync("/api-tokens");
        Assert.Equal("Manage your API tokens", empty.Heading());
        Assert.NotNull(empty.GetElementById("no-tokens"));
        Assert.NotNull(empty.QuerySelector("a.govuk-button[href='/api-tokens/new']"));

        var form = await user.GetAsync("/api-tokens/new");
        var sixMonths = Today.AddMonths(6);
        Assert.Equal(
            [$"{sixMonths.Day}", $"{sixMonths.Month}", $"{sixMonths.Year}"],
            new[] { "day", "month", "year" }.Select(p => ((IHtmlInputElement)form.QuerySelector($"input[name='expires_on-{p}']")!).Value).ToArray());
        var answer = await user.SubmitAsync(form, new() { ["name"] = " Acme SRS " }, pageUrl: "/api-tokens/new");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("no-store", answer.Headers.CacheControl?.ToString());
        var shown = await WebSession.ParseAsync(answer);
        Assert.Equal("Token generated", shown.QuerySelector(".govuk-panel__title")?.TextContent.Trim());
        var token = shown.GetElementById("token")!.TextContent.Trim();
        Assert.Matches("^[a-z]+_[0-9a-f]{64}$|^rg_", token);
        Assert.Contains("it will not be shown again", shown.Text());
        var srs = Api.WithToken(token);
        var created = await srs.PostAsJsonAsync("/api/v2026.1/trainees", new { data = TraineeRequests.Valid(TraineeRequests.CurrentCycle) });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await srs.GetAsync("/api/v2026.1/trainees")).StatusCode);

        // The same form sent again (a reload or forward): no second token, and the token is not shown again.
        var again = await user.SubmitAsync(form, new() { ["name"] = "Acme SRS again" }, pageUrl: "/api-tokens/new");
        Assert.Equal(HttpStatusCode.SeeOther, again.StatusCode);
        Assert.Equal("/api-tokens", again.Headers.Location?.OriginalString);

        var list = await user.GetAsync("/api-tokens");
        Assert.DoesNotContain(token, list.Body!.InnerHtml);
        var card = Assert.Single(list.QuerySelectorAll(".govuk-summary-card"));
        Assert.Equal("Acme SRS", card.QuerySelector(".govuk-summary-card__title")!.TextContent.Trim());
        Assert.Contains("Active", card.TextContent);
        Assert.Contains($"Pat Tester on {Today.ToString("d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-GB"))}", card.TextContent);
        var revoke = card.QuerySelector("a[href$='/revoke']")!.GetAttribute("href")!;
        var id = Guid.Parse(IdInPath().Match(revoke).Value);

        // The same client for support: in the support API and the API client pages, created by the provider user.
        var client = (await (await support.GetAsync($"/support/api-clients/{id}")).BodyAsync()).GetProperty("data");
        Assert.Equal(("trainees_api", hei.ToString(), "Pat Tester", "active"), (client.Text("audience"), client.Text("organisation_id"), client.Text("created_by"), client.Text("status")));
        var supportUser = await WebSession.SignInAsync(Api.Factory);
        Assert.Contains("Acme SRS", (await supportUser.GetAsync("/api-clients")).Text());

        var confirm = await user.GetAsync(revoke);
        Assert.Equal("Are you sure you want to revoke this token?", confirm.Heading());
        var revoked = await user.SubmitAsync(revoke);
        Assert.Equal(HttpStatusCode.SeeOther, revoked.StatusCode);
        var after = await user.GetAsync("/api-tokens");
        Assert.Equal("Token revoked", after.Flash());
        Assert.Contains("Revoked", after.QuerySelector(".govuk-summary-card .govuk-tag")!.TextContent);
        Assert.Contains("Revoked by", after.Text());
        Assert.Null(after.QuerySelector(".govuk-summary-card a[href$='/revoke']"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await srs.GetAsync("/api/v2026.1/trainees")).StatusCode);
        await user.GetAsync(revoke, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task The_form_says_what_is_wrong_with_the_name_and_the_expiry_date()
    {
        var hei = await CreateAccreditedHeiAsync(await Api.SupportAsync());
        var user = await WebSession.SignInAsProviderUserAsync(Api.Factory, hei);

        var blank = await SubmitAsync(user, "", null);
        Assert.Equal(["Enter a token name", "Enter an expiry date"], blank.ErrorSummary());
        Assert.Equal("Enter a token name", blank.FieldError("name"));

        var tooFar = await SubmitAsync(user, "Acme SRS", Today.AddMonths(6).AddDays(1));
        Assert.Equal([$"Expiry date must be no more than 6 months from today, {Format(Today.AddMonths(6))} at the latest"], tooFar.ErrorSummary());
        Assert.Equal("Acme SRS", ((IHtmlInputElement)tooFar.GetElementById("name")!).Value);

        var past = await SubmitAsync(user, "Acme SRS", Today.AddDays(-1));
        Assert.Equal(["Expiry date must be in the future"], past.ErrorSummary());

        var notADate = await SubmitAsync(user, new string('a', 201), null, ("31", "2", "2027"));
        Assert.Equal(["Expiry date must be a real date", "Token name must be 200 characters or fewer"], notADate.ErrorSummary());

        Assert.Empty((await user.GetAsync("/api-tokens")).QuerySelectorAll(".govuk-summary-card"));
    }

    [Fact]
    public async Task A_provider_has_at_most_two_active_tokens()
    {
        var hei = await CreateAccreditedHeiAsync(await Api.SupportAsync());
        var user = await WebSession.SignInAsProviderUserAsync(Api.Factory, hei);
        var form = await user.GetAsync("/api-tokens/new"); // opened before the limit is reached
        Assert.Equal(HttpStatusCode.OK, (await user.SubmitAsync("/api-tokens/new", new() { ["name"] = "First SRS" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.SubmitAsync("/api-tokens/new", new() { ["name"] = "Second SRS" })).StatusCode);

        var list = await user.GetAsync("/api-tokens");
        Assert.Null(list.QuerySelector("a.govuk-button[href='/api-tokens/new']"));
        Assert.Contains("Your organisation has 2 active tokens, the most it can have. Revoke a token before generating a new one.", list.QuerySelector(".govuk-inset-text")!.TextContent);

        var third = await user.SubmitAsync(form, new() { ["name"] = "Third SRS" }, pageUrl: "/api-tokens/new");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, third.StatusCode);
        Assert.Equal(["Your organisation already has 2 active tokens. Revoke a token before generating a new one"], (await WebSession.ParseAsync(third)).ErrorSummary());
        Assert.Equal(2, (await user.GetAsync("/api-tokens")).QuerySelectorAll(".govuk-summary-card").Length);
    }

    [Fact]
    public async Task A_name_in_use_is_refused_with_the_pages_words()
    {
        var support = await Api.SupportAsync();
        var hei = await CreateAccreditedHeiAsync(support);
        await support.PostAsJsonAsync("/support/api-clients", new { name = "Shared name", audience = "providers_api" });
        var user = await WebSession.SignInAsProviderUserAsync(Api.Factory, hei);

        var taken = await SubmitAsync(user, "shared NAME", Today.AddMonths(1));

        Assert.Equal("Token name is already in use. Enter a different name", taken.FieldError("name"));
    }

    [Fact]
    public async Task Another_providers_token_another_kind_of_client_and_an_unknown_id_are_not_found()
    {
        var support = await Api.SupportAsync();
        var hei = await CreateAccreditedHeiAsync(support);
        var other = await CreateAccreditedHeiAsync(support, "2XY", "Other University", "10099999", "1235");
        var theirs = await Api.Factory.IssueTokenAsync("trainees_api", other, "Their SRS");
        var theirId = (await (await support.GetAsync("/support/api-clients?audience=trainees_api")).BodyAsync()).GetProperty("data").EnumerateArray()
            .Single(c => c.Text("name") == "Their SRS").Id();
        var providersClient = (await (await support.PostAsJsonAsync("/support/api-clients", new { name = "Providers client", audience = "providers_api" })).BodyAsync()).GetProperty("data").Id();
        var user = await WebSession.SignInAsProviderUserAsync(Api.Factory, hei);
        var page = await user.GetAsync("/api-tokens");

        foreach (var id in new[] { theirId, providersClient, Guid.NewGuid() })
        {
            await user.GetAsync($"/api-tokens/{id}/revoke", HttpStatusCode.NotFound);
            Assert.Equal(HttpStatusCode.NotFound, (await PostWithTokenAsync(user, page, $"/api-tokens/{id}/revoke")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await Api.WithToken(theirs).GetAsync("/api/v2026.1/info")).StatusCode);
    }

    [Fact]
    public async Task Users_of_providers_that_are_not_accredited_heis_and_support_users_are_refused()
    {
        var support = await Api.SupportAsync();
        var unaccredited = (await support.CreateAsync(ProviderRequests.Hei("3CD", "Unaccredited University"))).Id();
        var scitt = (await support.CreateAsync(ProviderRequests.Scitt())).Id();
        var hei = await CreateAccreditedHeiAsync(support, "4EF", "Accredited University", "10044444", "1236");
        var theirs = await Api.Factory.IssueTokenAsync("trainees_api", hei, "An HEI's SRS");
        var tokenId = (await (await support.GetAsync("/support/api-clients?audience=trainees_api")).BodyAsync()).GetProperty("data").EnumerateArray().Single().Id();

        foreach (var provider in new[] { unaccredited, scitt })
        {
            var user = await WebSession.SignInAsProviderUserAsync(Api.Factory, provider);
            foreach (var path in new[] { "/api-tokens", "/api-tokens/new", $"/api-tokens/{tokenId}/revoke" })
            {
                var refused = await user.GetAsync(path, HttpStatusCode.Forbidden);
                Assert.Equal("You are not authorised to see this page", refused.Heading());
                Assert.Contains("Only users of an accredited higher education institution (HEI) can manage Register API tokens.", refused.Text());
            }

            var account = await user.GetAsync("/account");
            Assert.Equal(HttpStatusCode.Forbidden, (await PostWithTokenAsync(user, account, "/api-tokens/new", new() { ["name"] = "Sneaky" })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await PostWithTokenAsync(user, account, $"/api-tokens/{tokenId}/revoke")).StatusCode);
        }

        var supportUser = await WebSession.SignInAsync(Api.Factory);
        await supportUser.GetAsync("/api-tokens", HttpStatusCode.Forbidden);
        await supportUser.GetAsync("/api-tokens/new", HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await Api.WithToken(theirs).GetAsync("/api/v2026.1/info")).StatusCode);
        Assert.Single((await (await support.GetAsync("/support/api-clients?audience=trainees_api")).BodyAsync()).GetProperty("data").EnumerateArray());
    }

    /// <summary>An accredited HEI, made through the support API.</summary>
    internal static async Task<Guid> CreateAccreditedHeiAsync(HttpClient support, string code = "1AB", string name = "University of Testing", string ukprn = "10012345", string number = "1234") =>
        (await support.CreateAsync(ProviderRequests.Hei(code, name)
            .With("ukprn", ukprn)
            .With("accreditation_status", "accredited")
            .With("accreditation", new { number, start_date = "2024-08-01" }))).Id();

    private static async Task<IHtmlDocument> SubmitAsync(WebSession user, string name, DateOnly? expiresOn, (string Day, string Month, string Year)? typed = null)
    {
        var parts = typed ?? (expiresOn is { } d ? ($"{d.Day}", $"{d.Month}", $"{d.Year}") : ("", "", ""));
        var response = await user.SubmitAsync("/api-tokens/new", new()
        {
            ["name"] = name,
            ["expires_on-day"] = parts.Day,
            ["expires_on-month"] = parts.Month,
            ["expires_on-year"] = parts.Year,
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        return await WebSession.ParseAsync(response);
    }

    /// <summary>A POST carrying a real anti-forgery token (from <paramref name="page"/>'s sign-out form), as a page of another form would send it.</summary>
    private static Task<HttpResponseMessage> PostWithTokenAsync(WebSession user, IHtmlDocument page, string url, Dictionary<string, string>? fields = null)
    {
        var hidden = page.QuerySelector("form[action='/sign-out'] input[type=hidden]")!;
        var values = new Dictionary<string, string>(fields ?? []) { [hidden.GetAttribute("name")!] = hidden.GetAttribute("value")! };
        return user.Client.PostAsync(url, new FormUrlEncodedContent(values));
    }

    private static string Format(DateOnly date) => date.ToString("d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-GB"));

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f-]{27}")]
    private static partial Regex IdInPath();
}
