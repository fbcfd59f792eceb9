using System.Net;
using System.Net.Http.Json;
using Register.TestKit;

namespace Register.Providers.Tests;

[Collection(ProvidersCollection.Name)]
public sealed class ListProvidersTests(ProvidersFixture fixture) : ApiTest<ProvidersFixture>(fixture)
{
    private async Task<HttpClient> SeedAsync()
    {
        var support = await Api.SupportAsync();
        await support.CreateAsync(ProviderRequests.Hei("1AA", "University of Leeds").With("legal_name", "The Leeds University Corporation").With("ukprn", "10007795"));
        await support.CreateAsync(ProviderRequests.School("2BB", "St Mary's C of E Primary School").With("urn", "100001"));
        await support.CreateAsync(ProviderRequests.Scitt("3CC", "Bradford SCITT").With("urn", "654321"));
        var archived = await support.CreateAsync(ProviderRequests.School("4DD", "Archived Academy").With("urn", "222222"));
        await support.PostAsync($"/support/providers/{archived.Id()}/archive", null);
        var old = await support.CreateAsync(ProviderRequests.Hei("5EE", "Closed College").With("onboarded_on", "2019-09-01")
            .With("inactive_periods", new[] { new { start_date = "2021-08-01", end_date = (string?)null, reason = "Closed" } }));
        Assert.Equal("[2020,2019]", old.GetProperty("active_academic_years").GetRawText());
        return support;
    }

    [Theory]
    [InlineData("univ", "University of Leeds")]
    [InlineData("leeds corp", "University of Leeds")]
    [InlineData("1aa", "University of Leeds")]
    [InlineData("1000779", "University of Leeds")]
    [InlineData("6543", "Bradford SCITT")]
    [InlineData("church of england", "St Mary's C of E Primary School")]
    [InlineData("marys", "St Mary's C of E Primary School")]
    [InlineData("St Mary’s", "St Mary's C of E Primary School")]
    public async Task Search_matches_names_code_ukprn_and_urn_by_prefix(string search, string expected)
    {
        var support = await SeedAsync();

        var names = await NamesAsync(support, $"/support/providers?search={Uri.EscapeDataString(search)}");

        Assert.Equal([expected], names);
    }

    [Fact]
    public async Task No_match_is_an_empty_page_and_a_blank_search_is_everything()
    {
        var support = await SeedAsync();

        Assert.Empty(await NamesAsync(support, "/support/providers?search=zzzz"));
        Assert.Equal(4, (await NamesAsync(support, "/support/providers?search=%20")).Count);
    }

    [Fact]
    public async Task Lists_are_ordered_by_name_without_archived_providers_unless_asked()
    {
        var support = await SeedAsync();

        Assert.Equal(["Bradford SCITT", "Closed College", "St Mary's C of E Primary School", "University of Leeds"], await NamesAsync(support, "/support/providers"));
        Assert.Equal(5, (await NamesAsync(support, "/support/providers?include_archived=true")).Count);
    }

    [Theory]
    [InlineData("provider_type=school,scitt", "Bradford SCITT|St Mary's C of E Primary School")]
    [InlineData("accreditation_status=accredited", "Bradford SCITT")]
    [InlineData("provider_type=school&accreditation_status=accredited", "")]
    [InlineData("academic_year=2020", "Closed College")]
    [InlineData("academic_year=2022", "")]
    [InlineData("academic_year=2020,2024", "Bradford SCITT|Closed College|St Mary's C of E Primary School|University of Leeds")]
    public async Task Filters_combine(string query, string expected)
    {
        var support = await SeedAsync();

        var names = await NamesAsync(support, $"/support/providers?{query}");

        Assert.Equal(expected.Split('|', StringSplitOptions.RemoveEmptyEntries), names);
    }

    [Fact]
    public async Task The_data_issues_filter_shows_only_flagged_imports()
    {
        var support = await SeedAsync();
        await using (var connection = new Npgsql.NpgsqlConnection(Api.ConnectionString))
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, "UPDATE providers.providers SET seed_data_with_issues = true WHERE code = '3CC'");
        }

        Assert.Equal(["Bradford SCITT"], await NamesAsync(support, "/support/providers?data_issues=true"));
        Assert.Equal(4, (await NamesAsync(support, "/support/providers?data_issues=false")).Count);
    }

    [Fact]
    public async Task Pages_hold_a_stable_slice()
    {
        var support = await SeedAsync();

        var page2 = await (await support.GetAsync("/support/providers?per_page=3&page=2")).BodyAsync();

        Assert.Equal(["University of Leeds"], page2.GetProperty("data").EnumerateArray().Select(p => p.Text("operating_name")));
        Assert.Equal("""{"page":2,"per_page":3,"total_count":4,"total_pages":2}""", page2.GetProperty("pagination").GetRawText());
    }

    [Theory]
    [InlineData("provider_type=college", "provider_type 'college' is not included in the list (hei, scitt, school, other)")]
    [InlineData("accreditation_status=maybe", "accreditation_status 'maybe' is not included in the list (accredited, unaccredited)")]
    [InlineData("academic_year=last", "academic_year 'last' must be a year like 2025")]
    [InlineData("include_archived=yes", "include_archived and data_issues must be true or false")]
    public async Task Bad_filters_are_400(string query, string message)
    {
        var support = await Api.SupportAsync();

        var response = await support.GetAsync($"/support/providers?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message, (await response.BodyAsync()).GetProperty("errors")[0].Text("message"));
    }

    private static async Task<List<string>> NamesAsync(HttpClient support, string url)
    {
        var response = await support.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.BodyAsync()).GetProperty("data").EnumerateArray().Select(p => p.Text("operating_name")).ToList();
    }
}
