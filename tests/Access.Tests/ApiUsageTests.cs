using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Register.Access.Features.ApiUsage;
using Register.BuildingBlocks;
using Register.TestKit;

namespace Register.Access.Tests;

/// <summary>
/// Usage that support can see (issue 16): a known number of requests by two API clients, 4xx among them, counted in memory
/// and flushed, then read back exactly from the support API (<c>/support/api-usage</c>, <c>/support/api-usage/clients</c>)
/// and the <c>/usage</c> page; bad filters are a 400 or 404 naming the field; the page is for support users only.
/// </summary>
[Collection(AccessCollection.Name)]
public sealed class ApiUsageTests(AccessFixture fixture) : ApiTest<AccessFixture>(fixture)
{
    private static readonly string[] Volatile = ["data[*].client_id", "data[*].organisation_id", "data[*].day", "data[*].last_used_at", "period.from", "period.to"];

    private sealed record Clients(HttpClient Support, Guid Provider, Guid Srs, Guid Reader, Guid Never);

    /// <summary>
    /// A provider's SRS client makes 3 good trainee API requests and 2 that find nothing (404); a providers API reader 4 good requests and 1 bad one;
    /// a third client never calls. Then the counts in memory are flushed to the database, as every 10 seconds.
    /// </summary>
    private async Task<Clients> CallsAsync()
    {
        var support = await Api.SupportAsync("Usage support");
        var provider = (await support.CreateAsync(ProviderRequests.Hei("1US", "University of Usage").With("ukprn", "10000071"))).Id();
        var srsToken = await Api.CreateTokenAsync(support, "trainees_api", provider, "Usage SRS");
        var readerToken = await Api.CreateTokenAsync(support, "providers_api", null, "Usage reader");
        await Api.CreateTokenAsync(support, "providers_api", null, "Never used reader");
        var srs = Api.WithToken(srsToken);
        var reader = Api.WithToken(readerToken);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await srs.GetAsync("/api/v2026.1/trainee-uploads/template")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/providers")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/providers")).StatusCode);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await srs.GetAsync("/api/v2026.1/trainees")).StatusCode); // "No trainees found"
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await reader.GetAsync("/api/v1/providers?page=0")).StatusCode);
        await Api.Factory.Services.GetRequiredService<ApiUsageRecorder>().FlushAsync(CancellationToken.None);

        var clients = (await (await support.GetAsync("/support/api-clients")).BodyAsync()).GetProperty("data").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("id").GetGuid());
        return new Clients(support, provider, clients["Usage SRS"], clients["Usage reader"], clients["Never used reader"]);
    }

    [Fact]
    public async Task The_support_api_gives_each_clients_requests_exactly_by_day_endpoint_and_status_class()
    {
        var calls = await CallsAsync();
        var today = LondonTime.DayOf(DateTimeOffset.UtcNow).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var srs = await calls.Support.GetAsync($"/support/api-usage?client_id={calls.Srs}");
        Assert.Equal(HttpStatusCode.OK, srs.StatusCode);
        var body = await srs.BodyAsync();
        var rows = body.GetProperty("data").EnumerateArray()
            .Select(r => (r.GetProperty("day").GetString(), r.GetProperty("endpoint").GetString(), r.GetProperty("status_class").GetString(), r.GetProperty("requests").GetInt32()))
            .ToList();
        Assert.Equal([(today, "/api/v2026.1/trainee-uploads/template", "2xx", 3), (today, "/api/v2026.1/trainees", "4xx", 2)], rows);
        Assert.All(body.GetProperty("data").EnumerateArray(), r => Assert.Equal(calls.Provider, r.GetProperty("organisation_id").GetGuid()));
        Assert.Equal(today, body.GetProperty("period").GetProperty("to").GetString());
        await Snapshots.MatchJsonAsync(srs, Volatile);

        // Both API clients' requests, by audience and in the summary: the requests made, the 4xx among them, none of the support client's.
        var readers = (await (await calls.Support.GetAsync($"/support/api-usage?audience=providers_api&from={today}&to={today}")).BodyAsync()).GetProperty("data");
        Assert.Equal(5, readers.EnumerateArray().Sum(r => r.GetProperty("requests").GetInt32()));
        Assert.Equal(1, readers.EnumerateArray().Where(r => r.GetProperty("status_class").GetString() == "4xx").Sum(r => r.GetProperty("requests").GetInt32()));

        var summary = await calls.Support.GetAsync("/support/api-usage/clients?audience=providers_api");
        Snapshots.MatchJson(await summary.Content.ReadAsStringAsync(), "clients", Volatile);
        var byName = (await summary.BodyAsync()).GetProperty("data").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.Equal((5L, 1L, 0.2), Totals(byName["Usage reader"]));
        Assert.Equal((0L, 0L, (double?)null), Totals(byName["Never used reader"]));
        Assert.Equal(JsonValueKind.Null, byName["Never used reader"].GetProperty("last_used_at").ValueKind);
        Assert.StartsWith(today, byName["Usage reader"].GetProperty("last_used_at").GetString(), StringComparison.Ordinal);

        var srsSummary = (await (await calls.Support.GetAsync($"/support/api-usage/clients?client_id={calls.Srs}")).BodyAsync()).GetProperty("data").EnumerateArray().Single();
        Assert.Equal((5L, 2L, 0.4), Totals(srsSummary));

        // A range before any request: the clients are there, with nothing counted.
        var before = (await (await calls.Support.GetAsync($"/support/api-usage?client_id={calls.Srs}&from=2020-01-01&to=2020-12-31")).BodyAsync());
        Assert.Equal(0, before.GetProperty("data").GetArrayLength());
        Assert.Equal(0, before.GetProperty("pagination").GetProperty("total_count").GetInt32());
    }

    private static (long Requests, long Errors, double? Rate) Totals(JsonElement client) => (
        client.GetProperty("requests").GetInt64(), client.GetProperty("errors").GetInt64(),
        client.GetProperty("error_rate").ValueKind == JsonValueKind.Null ? null : client.GetProperty("error_rate").GetDouble());

    [Theory]
    [InlineData("from=2026-13-01", 400, "from", "from must be a date in the format YYYY-MM-DD, between 2000 and 2100")]
    [InlineData("to=yesterday", 400, "to", "to must be a date in the format YYYY-MM-DD, between 2000 and 2100")]
    [InlineData("from=2026-02-01&to=2026-01-31", 400, "from", "from must be on or before to")]
    [InlineData("from=2025-01-01&to=2026-02-02", 400, "to", "to must be at most 13 months after from")]
    [InlineData("audience=everyone", 400, "audience", "audience is not included in the list (support, providers_api, trainees_api, lead_provider_api)")]
    [InlineData("client_id=42", 400, "client_id", "client_id must be a UUID, such as 3fa85f64-5717-4562-b3fc-2c963f66afa6")]
    [InlineData("client_id=3fa85f64-5717-4562-b3fc-2c963f66afa6", 404, "client_id", "client_id does not match an API client")]
    [InlineData("per_page=5001", 400, "per_page", "per_page must be a whole number from 1 to 5000")]
    public async Task Bad_filters_are_a_400_or_404_naming_the_field(string query, int status, string field, string message)
    {
        var support = await Api.SupportAsync();

        foreach (var path in query.StartsWith("per_page", StringComparison.Ordinal) ? ["/support/api-usage"] : new[] { "/support/api-usage", "/support/api-usage/clients" })
        {
            var response = await support.GetAsync($"{path}?{query}");

            Assert.Equal(status, (int)response.StatusCode);
            var error = (await response.BodyAsync()).GetProperty("errors")[0];
            Assert.Equal((field, message), (error.GetProperty("field").GetString(), error.GetProperty("message").GetString()));
        }
    }

    [Fact]
    public async Task Thirteen_months_is_the_longest_range_and_other_audiences_cannot_read_usage()
    {
        var calls = await CallsAsync();

        Assert.Equal(HttpStatusCode.OK, (await calls.Support.GetAsync("/support/api-usage?from=2025-01-01&to=2026-02-01")).StatusCode);
        var reader = Api.WithToken(await Api.CreateTokenAsync(calls.Support, "providers_api"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await reader.GetAsync("/support/api-usage")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.Anonymous().GetAsync("/support/api-usage/clients")).StatusCode);
    }

    [Fact]
    public async Task The_usage_page_shows_the_same_figures_to_support_users_only()
    {
        var calls = await CallsAsync();
        var session = await WebSession.SignInAsync(Api.Factory);

        var page = await session.GetAsync("/usage");

        Assert.Equal("Usage", page.Heading());
        Assert.Contains(page.QuerySelectorAll(".govuk-service-navigation__item--active"), li => li.TextContent.Trim() == "Usage");
        var figures = Table(page, "figures");
        Assert.Equal(["1", "1"], figures["Providers calling the trainee API"]);
        Assert.Equal(["5", "5"], figures["Trainee API requests"]);
        Assert.Equal(["0", "0"], figures["CSV uploads"]);
        Assert.Equal(["5", "0", "0", "0", "0"], Table(page, "providers")["University of Usage"]);

        var clients = Table(page, "clients");
        Assert.Equal(["Register trainee teachers API", "5", "40%", "5", "2", "40%"], clients["Usage SRS"]);
        Assert.Equal(["Register of training providers API", "5", "20%", "5", "1", "20%"], clients["Usage reader"]);
        Assert.Equal("Usage SRS", page.QuerySelector("#clients tbody tr th")!.TextContent.Trim()); // the highest error rate first
        Assert.Equal($"/api-clients/{calls.Srs}", page.QuerySelector("#clients tbody tr th a")!.GetAttribute("href"));

        var never = Table(page, "never-used");
        Assert.Equal(["Never used reader"], never.Keys);
        Assert.Equal("No CSV upload has failed this academic year.", page.GetElementById("failed-empty")!.TextContent.Trim());

        var apiUser = await WebSession.SignInAsync(Api.Factory, "api_user");
        Assert.Equal("You are not authorised to see this page", (await apiUser.GetAsync("/usage", HttpStatusCode.Forbidden)).Heading());
        var providerUser = await WebSession.SignInAsProviderUserAsync(Api.Factory, calls.Provider);
        await providerUser.GetAsync("/usage", HttpStatusCode.Forbidden);
        Assert.DoesNotContain((await apiUser.GetAsync("/api-clients")).QuerySelectorAll(".govuk-service-navigation__link"), a => a.TextContent.Trim() == "Usage");
    }

    [Fact]
    public async Task With_no_usage_the_page_says_so()
    {
        var session = await WebSession.SignInAsync(Api.Factory);

        var page = await session.GetAsync("/usage");

        Assert.NotNull(page.GetElementById("providers-empty"));
        Assert.NotNull(page.GetElementById("clients-empty"));
        Assert.NotNull(page.GetElementById("failed-empty"));
        Assert.Equal(["0", "0"], Table(page, "figures")["Providers calling the trainee API"]);
    }

    /// <summary>A table's rows: the row header's text → the other cells' text.</summary>
    private static Dictionary<string, string[]> Table(AngleSharp.Html.Dom.IHtmlDocument page, string id) =>
        page.GetElementById(id)!.QuerySelectorAll("tbody tr").ToDictionary(
            tr => tr.QuerySelector("th")!.TextContent.Trim(), tr => tr.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray());
}
