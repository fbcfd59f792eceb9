using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Register.TestKit;

namespace Register.Partnerships.Tests;

[Collection(PartnershipsCollection.Name)]
public sealed class LeadProviderApiTests(PartnershipsFixture fixture) : ApiTest<PartnershipsFixture>(fixture)
{
    private sealed record World(HttpClient Support, HttpClient LeadProvider, Guid X, Guid Y, Guid Z);

    private async Task<World> WorldAsync()
    {
        var support = await Api.SupportAsync();
        foreach (var year in new[] { 2024, 2025, 2026 })
        {
            (await support.PostAsJsonAsync("/support/cohorts", new { year, started_on = $"{year}-06-01", finished_on = $"{year + 1}-05-31", enabled = true })).EnsureSuccessStatusCode();
        }

        async Task<Guid> Create(string path, string name) => (await (await support.PostAsJsonAsync(path, new { name })).BodyAsync()).GetProperty("data").Id();
        var a = await Create("/support/lead-providers", "Ambition Institute");
        var b = await Create("/support/lead-providers", "Teach First");
        var x = await Create("/support/delivery-partners", "Xylem Partnership");
        await Task.Delay(5);
        var y = await Create("/support/delivery-partners", "Yew Trust");
        var z = await Create("/support/delivery-partners", "Zenith Schools");
        foreach (var (lp, dp, cohort) in new[] { (a, x, 2024), (a, x, 2025), (a, y, 2025), (b, z, 2025) })
        {
            (await support.PostAsJsonAsync($"/support/lead-providers/{lp}/delivery-partner-contracts", new { delivery_partner_id = dp, cohort })).EnsureSuccessStatusCode();
        }

        return new World(support, Api.WithToken(await Api.CreateTokenAsync(support, "lead_provider_api", a)), x, y, z);
    }

    private static async Task<List<string>> NamesAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/api/v3/delivery-partners{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.BodyAsync()).GetProperty("data").EnumerateArray().Select(d => d.GetProperty("attributes").Text("name")).ToList();
    }

    [Fact]
    public async Task Delivery_partners_are_the_lead_providers_own_with_their_contract_years()
    {
        var world = await WorldAsync();

        var response = await world.LeadProvider.GetAsync("/api/v3/delivery-partners");

        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var data = (await response.BodyAsync()).GetProperty("data");
        Assert.Equal(["Xylem Partnership", "Yew Trust"], data.EnumerateArray().Select(d => d.GetProperty("attributes").Text("name")));
        Assert.Equal("""["2024","2025"]""", data[0].GetProperty("attributes").GetProperty("cohort").GetRawText());
        Assert.Matches("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$", data[0].GetProperty("attributes").Text("updated_at"));
        Snapshots.MatchJson(data[0].GetRawText(), "item", "id", "attributes.created_at", "attributes.updated_at");
    }

    [Theory]
    [InlineData("?filter[cohort]=2024", "Xylem Partnership")]
    [InlineData("?filter[cohort]=2025", "Xylem Partnership|Yew Trust")]
    [InlineData("?filter[cohort]=2024,invalid,cohort,,20A1,nil,null,%20,1099", "Xylem Partnership")]
    [InlineData("?filter[cohort]=invalid", "")]
    [InlineData("?filter[cohort]=", "Xylem Partnership|Yew Trust")]
    [InlineData("?filter[updated_since]=invalid", "Xylem Partnership|Yew Trust")]
    [InlineData("?sort=-created_at", "Yew Trust|Xylem Partnership")]
    [InlineData("?sort=%2Bcreated_at", "Xylem Partnership|Yew Trust")]
    [InlineData("?sort=name,-created_at", "Yew Trust|Xylem Partnership")]
    [InlineData("?page[per_page]=1&page[page]=2", "Yew Trust")]
    [InlineData("?page[per_page]=1&page[page]=3", "")]
    [InlineData("?page[per_page]=5000", "Xylem Partnership|Yew Trust")]
    public async Task Filters_sorting_and_pagination_follow_the_reference(string query, string expected)
    {
        var world = await WorldAsync();

        Assert.Equal(expected.Split('|', StringSplitOptions.RemoveEmptyEntries), await NamesAsync(world.LeadProvider, query));
    }

    [Theory]
    [InlineData("?page[page]=0", """{"errors":[{"title":"Bad request","detail":"The '#/page[page]' and '#/page[per_page]' parameter values must be a valid positive number"}]}""")]
    [InlineData("?page[page]=-1", """{"errors":[{"title":"Bad request","detail":"The '#/page[page]' and '#/page[per_page]' parameter values must be a valid positive number"}]}""")]
    [InlineData("?page[per_page]=abc", """{"errors":[{"title":"Bad request","detail":"The '#/page[page]' and '#/page[per_page]' parameter values must be a valid positive number"}]}""")]
    [InlineData("?page[page]=0.8", """{"errors":[{"title":"Bad request","detail":"The '#/page[page]' and '#/page[per_page]' parameter values must be a valid positive number"}]}""")]
    [InlineData("?filter=abc", """{"errors":[{"title":"Bad parameter","detail":"Filter must be a hash"}]}""")]
    public async Task Bad_query_parameters_are_400_with_the_reference_bodies(string query, string body)
    {
        var world = await WorldAsync();

        var response = await world.LeadProvider.GetAsync($"/api/v3/delivery-partners{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task One_delivery_partner_is_shown_only_to_a_lead_provider_contracted_with_it()
    {
        var world = await WorldAsync();

        var own = await world.LeadProvider.GetAsync($"/api/v3/delivery-partners/{world.X}?filter[cohort]=2024");
        var others = await world.LeadProvider.GetAsync($"/api/v3/delivery-partners/{world.Z}");
        var notAnId = await world.LeadProvider.GetAsync("/api/v3/delivery-partners/not-a-uuid");

        Assert.Equal("""["2024","2025"]""", (await own.BodyAsync()).GetProperty("data").GetProperty("attributes").GetProperty("cohort").GetRawText());
        foreach (var response in new[] { others, notAnId })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("""{"errors":[{"title":"Resource not found","detail":"Nothing could be found for the provided details"}]}""", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_contract_moves_the_delivery_partners_updated_at_and_a_rename_too()
    {
        var world = await WorldAsync();
        var before = (await (await world.LeadProvider.GetAsync($"/api/v3/delivery-partners/{world.Y}")).BodyAsync()).GetProperty("data").GetProperty("attributes").Text("updated_at");
        await Task.Delay(1100);

        await world.Support.PatchAsJsonAsync($"/support/delivery-partners/{world.Y}", new { name = "Yew Trust Partnership" });

        var after = (await (await world.LeadProvider.GetAsync($"/api/v3/delivery-partners/{world.Y}")).BodyAsync()).GetProperty("data").GetProperty("attributes");
        Assert.Equal("Yew Trust Partnership", after.Text("name"));
        Assert.True(string.CompareOrdinal(after.Text("updated_at"), before) > 0);
    }

    [Fact]
    public async Task Only_lead_provider_tokens_open_it()
    {
        var world = await WorldAsync();

        var anonymous = await Api.Anonymous().GetAsync("/api/v3/delivery-partners");
        var support = await world.Support.GetAsync("/api/v3/delivery-partners");

        Assert.Equal("""{"error":"HTTP Token: Access denied"}""", await anonymous.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, support.StatusCode);
    }
}
