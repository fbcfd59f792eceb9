using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Register.BuildingBlocks.Http;
using Register.TestKit;

namespace Register.Host.Tests.Web;

/// <summary>
/// Every page, found from the endpoints themselves (so a new page is covered without a new test), asked for by each role
/// over plain HTTP: signed out (sent to sign in), an API user (403 except their own pages), a support user (403 for the
/// system admins' pages), a system admin (403 for provider users' pages); and every form posted without its anti-forgery token (400, nothing changed).
/// </summary>
[Collection(HostCollection.Name)]
public sealed partial class PageAccessTests(HostFixture fixture) : ApiTest<HostFixture>(fixture)
{
    private sealed record PageRoute(string Method, string Pattern, string? Policy, bool Public);

    [Fact]
    public async Task Every_page_answers_each_role_as_its_policy_says()
    {
        var ids = await RecordsAsync();
        var support = ids.Support;
        var apiUser = ids.ApiUser;
        var systemAdmin = ids.SystemAdmin;
        var anonymous = WebSession.Anonymous(Api.Factory);
        var routes = Routes().Where(r => r.Method == "GET").ToList();
        Assert.True(routes.Count > 40, $"only {routes.Count} pages found");
        Assert.Contains(routes, r => r.Pattern == "/usage" && r.Policy == "web:support"); // the usage dashboard: support users only

        foreach (var route in routes)
        {
            var url = Fill(route.Pattern, ids);
            if (route.Public)
            {
                var answer = await anonymous.Client.GetAsync(url);
                Assert.True((int)answer.StatusCode < 500, $"{url} for someone signed out: {answer.StatusCode}");
                continue;
            }

            var signedOut = await anonymous.Client.GetAsync(url);
            Assert.True(signedOut.StatusCode == HttpStatusCode.Redirect
                && new Uri(new Uri("http://localhost"), signedOut.Headers.Location!).PathAndQuery.StartsWith("/sign-in?return_url=", StringComparison.Ordinal),
                $"{url} for someone signed out: {signedOut.StatusCode} {signedOut.Headers.Location}");

            if (route.Policy == "web:provider")
            {
                // Provider users' pages: everyone else is refused (the provider's own answers are their module's tests). The
                // provider user here is of a SCITT, so the token pages (accredited HEIs only) refuse them too.
                foreach (var (who, session) in new[] { ("an API user", apiUser), ("a support user", support), ("a system admin", systemAdmin) })
                {
                    var refused = await session.Client.GetAsync(url);
                    Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{url} for {who}: {refused.StatusCode}");
                }

                var asProviderUser = await ids.ProviderUser.Client.GetAsync(url);
                var tokens = route.Pattern.StartsWith("/api-tokens", StringComparison.Ordinal);
                Assert.True(tokens ? asProviderUser.StatusCode == HttpStatusCode.Forbidden : (int)asProviderUser.StatusCode is 200 or 303 or 404,
                    $"{url} for a provider user: {asProviderUser.StatusCode}");
                continue;
            }

            // Every other page is DfE's: a provider user is refused, but for their account and signing out.
            var providerUserAnswer = await ids.ProviderUser.Client.GetAsync(url);
            var own = route.Pattern.StartsWith("/account", StringComparison.Ordinal);
            Assert.True(own ? providerUserAnswer.StatusCode == HttpStatusCode.OK : providerUserAnswer.StatusCode == HttpStatusCode.Forbidden,
                $"{url} for a provider user: {providerUserAnswer.StatusCode}");

            var asApiUser = await apiUser.Client.GetAsync(url);
            if (route.Policy is "web:support" or "web:system-admin")
            {
                Assert.True(asApiUser.StatusCode == HttpStatusCode.Forbidden, $"{url} for an API user: {asApiUser.StatusCode}");
                Assert.Equal("You are not authorised to see this page", (await WebSession.ParseAsync(asApiUser)).Heading());
            }
            else
            {
                Assert.True(asApiUser.StatusCode is HttpStatusCode.OK or HttpStatusCode.SeeOther, $"{url} for an API user: {asApiUser.StatusCode}");
            }

            var asSupport = await support.Client.GetAsync(url);
            if (route.Policy == "web:system-admin")
            {
                Assert.True(asSupport.StatusCode == HttpStatusCode.Forbidden, $"{url} for a support user who is not a system admin: {asSupport.StatusCode}");
                Assert.Equal("You are not authorised to see this page", (await WebSession.ParseAsync(asSupport)).Heading());
            }
            else
            {
                Assert.True(asSupport.StatusCode is HttpStatusCode.OK or HttpStatusCode.SeeOther, $"{url} for a support user: {asSupport.StatusCode} {asSupport.Headers.Location}");
            }

            var asSystemAdmin = await systemAdmin.Client.GetAsync(url);
            Assert.True(asSystemAdmin.StatusCode is HttpStatusCode.OK or HttpStatusCode.SeeOther, $"{url} for a system admin: {asSystemAdmin.StatusCode} {asSystemAdmin.Headers.Location}");
            if (asSystemAdmin.StatusCode == HttpStatusCode.OK)
            {
                // The partner search that accessible-autocomplete calls answers JSON; every other page is HTML.
                Assert.Equal(route.Pattern.EndsWith("/partners", StringComparison.Ordinal) ? "application/json" : "text/html", asSystemAdmin.Content.Headers.ContentType?.MediaType);
                Assert.Contains("frame-ancestors 'none'", asSystemAdmin.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
                Assert.Equal("no-store", asSystemAdmin.Headers.CacheControl?.ToString());
                Assert.Equal("nosniff", asSystemAdmin.Headers.GetValues("X-Content-Type-Options").Single());
            }
        }
    }

    [Fact]
    public async Task Every_form_refuses_a_post_without_its_anti_forgery_token()
    {
        var ids = await RecordsAsync();
        var routes = Routes().Where(r => r.Method == "POST").ToList();
        Assert.True(routes.Count > 30, $"only {routes.Count} forms found");

        foreach (var route in routes)
        {
            var url = Fill(route.Pattern, ids);
            var response = await (route.Public ? WebSession.Anonymous(Api.Factory) : route.Policy == "web:provider" ? ids.ProviderUser : ids.Support).PostWithoutTokenAsync(url, new() { ["name"] = "x" });
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"POST {url} without a token: {response.StatusCode}");
            Assert.Equal("Sorry, there is a problem with the form", (await WebSession.ParseAsync(response)).Heading());
        }

        var provider = await ids.Support.GetAsync($"/providers/{ids.Provider}");
        Assert.DoesNotContain("Archived", provider.Heading());
    }

    [Fact]
    public async Task An_api_user_sees_only_the_api_clients_they_created()
    {
        var ids = await RecordsAsync();

        var list = await ids.ApiUser.GetAsync("/api-clients");

        Assert.Equal("API clients (1)", list.Heading());
        foreach (var path in new[] { "", "/edit", "/revoke", "/delete" })
        {
            await ids.ApiUser.GetAsync($"/api-clients/{ids.SupportClient}{path}", HttpStatusCode.NotFound);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await ids.ApiUser.PostWithoutTokenAsync($"/api-clients/{ids.SupportClient}/revoke")).StatusCode);
        var support = await ids.Support.GetAsync("/api-clients");
        // The support token the test set up with, the support API's client, the API user's, and the SRS's that added a trainee (for a TRS request).
        Assert.Equal("API clients (4)", support.Heading());
    }

    [Fact]
    public async Task Unknown_pages_and_unknown_records_are_the_404_page_and_the_apis_keep_their_json()
    {
        var support = await WebSession.SignInAsync(Api.Factory);

        var page = await support.GetAsync("/no-such-page", HttpStatusCode.NotFound);
        var provider = await support.GetAsync($"/providers/{Guid.NewGuid()}", HttpStatusCode.NotFound);
        var api = await Api.Anonymous().GetAsync("/support/no-such-thing");

        Assert.Equal("Page not found", page.Heading());
        Assert.Equal("Page not found", provider.Heading());
        Assert.Equal("application/json", api.Content.Headers.ContentType?.MediaType);
    }

    private IEnumerable<PageRoute> Routes() =>
        Api.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<WebPageMetadata>() is not null)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => new PageRoute(
                m, e.RoutePattern.RawText!, e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(e2 => e2 is not null),
                e.Metadata.GetMetadata<IAllowAnonymous>() is not null)));

    private sealed record Records(
        WebSession Support, WebSession ApiUser, WebSession SystemAdmin, WebSession ProviderUser, Guid Provider, Guid Accreditation, Guid Address, Guid Contact, Guid Partnership, Guid OtherUser, Guid SupportClient, Guid OwnClient,
        string Upload, Guid TrsRequest);

    /// <summary>One of every record a page can show, and the people who look at them.</summary>
    private async Task<Records> RecordsAsync()
    {
        var token = await Api.SupportAsync($"Support {Guid.NewGuid():N}");
        var scitt = (await token.CreateAsync(ProviderRequests.Scitt())).Id();
        var school = (await token.CreateAsync(ProviderRequests.School())).Id();
        var full = (await (await token.GetAsync($"/support/providers/{scitt}")).BodyAsync()).GetProperty("data");
        var contact = (await (await token.PostAsJsonAsync($"/support/providers/{scitt}/contacts", new { first_name = "A", last_name = "B", email = "a@b.ac.uk" })).BodyAsync()).GetProperty("data").Id();
        var partnership = (await (await token.PostAsJsonAsync("/support/partnerships",
            new { accredited_provider_id = scitt, training_partner_id = school, start_date = "2024-08-01", academic_years = new[] { 2024 } })).BodyAsync()).GetProperty("data").Id();
        var supportClient = (await (await token.PostAsJsonAsync("/support/api-clients", new { name = "Support's client", audience = "providers_api" })).BodyAsync()).GetProperty("data").Id();
        var support = await WebSession.SignInAsync(Api.Factory);
        var other = await WebSession.SignInAsync(Api.Factory, firstName: "Other");
        var apiUser = await WebSession.SignInAsync(Api.Factory, "api_user");
        var systemAdmin = await WebSession.SignInAsync(Api.Factory, firstName: "Admin", systemAdmin: true);
        var providerUser = await WebSession.SignInAsProviderUserAsync(Api.Factory, scitt);
        var expires = DateTime.UtcNow.AddMonths(3);
        await apiUser.SubmitAsync("/api-clients/new", new()
        {
            ["name"] = "API user's client",
            ["expires_on-day"] = $"{expires.Day}",
            ["expires_on-month"] = $"{expires.Month}",
            ["expires_on-year"] = $"{expires.Year}",
        });
        await apiUser.SubmitAsync("/api-clients/new/check");
        var own = Guid.Parse(Regex.Match((await apiUser.GetAsync("/api-clients")).Body!.InnerHtml, "/api-clients/([0-9a-f-]{36})").Groups[1].Value);
        var uploaded = await providerUser.UploadAsync(await providerUser.GetAsync("/bulk-update/add-trainees"), "file", System.Text.Encoding.UTF8.GetBytes(TraineeCsv.Make([TraineeCsv.Row(1)])));
        var upload = uploaded.Headers.Location!.OriginalString.Split('/')[^1];
        for (var i = 0; i < 100 && (await providerUser.GetAsync($"/bulk-update/add-trainees/{upload}")).Heading() == "Checking your file"; i++)
        {
            await Task.Delay(200); // its report is there once the check has run
        }

        // A trainee, so that there is a TRS request; it stays open while the pages are asked for (not due for a day: TRS runs in the background here).
        var hei = (await token.CreateAsync(ProviderRequests.Hei("9TQ", "University of the TRS queue").With("ukprn", "10000009"))).Id();
        var srs = Api.WithToken(await Api.CreateTokenAsync(token, "trainees_api", hei, "Queue SRS"));
        (await srs.PostAsync("/api/v2026.1/trainees", JsonContent.Create(new { data = TraineeRequests.Valid() }))).EnsureSuccessStatusCode();
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        var trsRequest = await connection.QuerySingleAsync<Guid>("UPDATE trainees.trs_requests SET due_at = now() + interval '1 day' WHERE completed_at IS NULL RETURNING id");

        return new Records(
            support, apiUser, systemAdmin, providerUser, scitt, full.GetProperty("accreditations")[0].Id(), full.GetProperty("addresses")[0].Id(), contact, partnership, other.UserId, supportClient, own,
            upload, trsRequest);
    }

    /// <summary>A route with real ids: each <c>{id}</c> is a record of the kind its path names.</summary>
    private static string Fill(string pattern, Records ids) => RouteParameter().Replace(pattern, m =>
    {
        var before = pattern[..m.Index].TrimEnd('/');
        var segment = before[(before.LastIndexOf('/') + 1)..];
        return m.Groups[1].Value switch
        {
            "providerId" => ids.Provider.ToString(),
            "token" => "rg_unknown",
            "traineeId" => "unknown",
            _ => segment switch
            {
                "providers" => ids.Provider.ToString(),
                "accreditations" => ids.Accreditation.ToString(),
                "addresses" => ids.Address.ToString(),
                "contacts" => ids.Contact.ToString(),
                "partnerships" => ids.Partnership.ToString(),
                "users" when pattern.StartsWith("/providers/", StringComparison.Ordinal) => ids.ProviderUser.UserId.ToString(),
                "users" => ids.OtherUser.ToString(),
                "api-clients" or "api-tokens" => ids.OwnClient.ToString(),
                "add-trainees" => ids.Upload,
                "trs-requests" => ids.TrsRequest.ToString(),
                _ => throw new InvalidOperationException($"No record for {{{m.Groups[1].Value}}} after /{segment} in {pattern}"),
            },
        };
    });

    [GeneratedRegex(@"\{\*{0,2}([A-Za-z]+)(?::[a-z]+)?\}")]
    private static partial Regex RouteParameter();
}
