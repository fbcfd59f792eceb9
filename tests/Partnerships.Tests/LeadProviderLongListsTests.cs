using System.Text.Json;
using Dapper;
using Npgsql;
using Register.TestKit;

namespace Register.Partnerships.Tests;

/// <summary>
/// <c>GET /api/v3/partnerships</c> past <c>Lists:ExactUpTo</c> (set to 5 here): a long list's pages start where this
/// process last saw them start (a seek through the index), and give the same rows, in the same order, as the exact
/// OFFSET pages of a short list — directly and walking, in every sort and filter, one lead provider's list never another's.
/// </summary>
[Collection(PartnershipsCollection.Name)]
public sealed class LeadProviderLongListsTests(PartnershipsFixture fixture) : ApiTest<PartnershipsFixture>(fixture)
{
    private static readonly Guid LeadProviderA = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid LeadProviderB = Guid.Parse("00000000-0000-0000-0000-00000000000b");
    private static readonly Guid PartnerX = Guid.Parse("00000000-0000-0000-0000-0000000000d1");
    private static readonly Guid PartnerY = Guid.Parse("00000000-0000-0000-0000-0000000000d2");
    private static readonly int Year = DateTime.UtcNow.Year - 1;

    /// <summary>
    /// Lead provider A: 23 partnerships in two cohorts with two delivery partners, created three to a minute (ties the
    /// id breaks) and updated in another order; lead provider B: 7, created in the same minutes.
    /// </summary>
    private async Task SeedAsync()
    {
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        await connection.ExecuteAsync(
            """
            INSERT INTO partnerships.cohorts (year, started_on, finished_on, enabled)
            VALUES (@Year - 1, make_date(@Year - 1, 6, 1), make_date(@Year, 5, 31), true), (@Year, make_date(@Year, 6, 1), make_date(@Year + 1, 5, 31), true);
            INSERT INTO partnerships.lead_providers (id, name, created_at) VALUES (@LeadProviderA, 'Lead provider A', now()), (@LeadProviderB, 'Lead provider B', now());
            INSERT INTO partnerships.delivery_partners (id, name, created_at, api_updated_at) VALUES (@PartnerX, 'Partner X', now(), now()), (@PartnerY, 'Partner Y', now(), now());
            INSERT INTO partnerships.lead_provider_cohorts (id, lead_provider_id, cohort_year)
            SELECT ('00000000-0000-0000-0001-' || lpad(n::text, 12, '0'))::uuid, CASE WHEN n < 3 THEN @LeadProviderA ELSE @LeadProviderB END, @Year - 1 + n % 2
            FROM generate_series(1, 4) AS n;
            INSERT INTO partnerships.lead_provider_delivery_partners (id, lead_provider_cohort_id, delivery_partner_id, created_at)
            SELECT ('00000000-0000-0000-0002-' || lpad((c * 10 + d)::text, 12, '0'))::uuid, ('00000000-0000-0000-0001-' || lpad(c::text, 12, '0'))::uuid,
                   CASE WHEN d = 1 THEN @PartnerX ELSE @PartnerY END, now()
            FROM generate_series(1, 4) AS c, generate_series(1, 2) AS d;
            INSERT INTO partnerships.schools (id, urn, name, gias_status, type_name, created_at, updated_at)
            SELECT ('10000000-0000-0000-0000-' || lpad(n::text, 12, '0'))::uuid, (100000 + n)::text, 'School ' || n, 'open', 'Community school', now(), now()
            FROM generate_series(1, 30) AS n;
            -- n 1..23 for A, 24..30 for B; cohort c = 1 + n % 2 (A) or 3 + n % 2 (B); delivery partner d = 1 + (n / 2) % 2.
            INSERT INTO partnerships.school_partnerships (id, school_id, lead_provider_delivery_partner_id, lead_provider_id, cohort_year, source, created_at, api_updated_at)
            SELECT ('20000000-0000-0000-0000-' || lpad((1000 - n * 37 % 1000)::text, 12, '0'))::uuid, ('10000000-0000-0000-0000-' || lpad(n::text, 12, '0'))::uuid,
                   ('00000000-0000-0000-0002-' || lpad(((CASE WHEN n <= 23 THEN 1 ELSE 3 END + n % 2) * 10 + 1 + (n / 2) % 2)::text, 12, '0'))::uuid,
                   CASE WHEN n <= 23 THEN @LeadProviderA ELSE @LeadProviderB END, @Year - 1 + (1 + n % 2) % 2, 'lead_provider',
                   timestamptz '2025-01-01 00:00:00+00' + (n % 23 / 3) * interval '1 minute',
                   timestamptz '2025-06-01 00:00:00+00' + (n * 7 % 11) * interval '1 second'
            FROM generate_series(1, 30) AS n;
            """,
            new { Year, LeadProviderA, LeadProviderB, PartnerX, PartnerY });
    }

    private static async Task<List<string>> IdsAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.BodyAsync()).GetProperty("data").EnumerateArray().Select(p => p.GetProperty("id").GetString()!).ToList();
    }

    [Fact]
    public async Task Long_lists_give_the_pages_of_the_exact_list_directly_and_walking_in_every_sort_and_filter()
    {
        await SeedAsync();
        await using var longLists = new RegisterFactory(Api.ConnectionString, new Dictionary<string, string?> { ["Lists:ExactUpTo"] = "5", ["Lists:Freshness"] = "00:10:00" });
        var exactA = Api.Factory.WithToken(await Api.Factory.IssueTokenAsync("lead_provider_api", LeadProviderA));
        var exactB = Api.Factory.WithToken(await Api.Factory.IssueTokenAsync("lead_provider_api", LeadProviderB));
        var a = longLists.WithToken(await longLists.IssueTokenAsync("lead_provider_api", LeadProviderA));
        var b = longLists.WithToken(await longLists.IssueTokenAsync("lead_provider_api", LeadProviderB));

        string[] queries =
        [
            "", "sort=-created_at", "sort=updated_at", "sort=-updated_at,created_at", "sort=created_at,-updated_at",
            $"filter[cohort]={Year}", $"filter[cohort]={Year - 1},{Year}&sort=-updated_at", $"filter[delivery_partner_id]={PartnerY}&sort=-created_at",
            "filter[updated_since]=2025-06-01T00:00:05Z&sort=updated_at",
        ];
        foreach (var query in queries)
        {
            foreach (var (exact, client) in new[] { (exactA, a), (exactB, b) })
            {
                var all = await IdsAsync(exact, $"/api/v3/partnerships?{query}&page[per_page]=3000");
                Assert.NotEmpty(all);
                const int perPage = 3;
                var pages = (all.Count + perPage - 1) / perPage;

                // Directly, the last page first (OFFSET once), then again (from its remembered start), and the one after it.
                Assert.Equal(all.Skip((pages - 1) * perPage).ToList(), await IdsAsync(client, $"/api/v3/partnerships?{query}&page[per_page]={perPage}&page[page]={pages}"));
                Assert.Equal(all.Skip((pages - 1) * perPage).ToList(), await IdsAsync(client, $"/api/v3/partnerships?{query}&page[per_page]={perPage}&page[page]={pages}"));
                Assert.Empty(await IdsAsync(client, $"/api/v3/partnerships?{query}&page[per_page]={perPage}&page[page]={pages + 1}"));

                // Walking, twice: the second walk seeks to every page's remembered start.
                for (var walk = 0; walk < 2; walk++)
                {
                    var walked = new List<string>();
                    for (var page = 1; page <= pages + 1; page++)
                    {
                        var ids = await IdsAsync(client, $"/api/v3/partnerships?{query}&page[per_page]={perPage}&page[page]={page}");
                        Assert.Equal(all.Skip((page - 1) * perPage).Take(perPage).ToList(), ids);
                        walked.AddRange(ids);
                    }

                    Assert.Equal(all, walked);
                }
            }
        }
    }

    [Fact]
    public async Task Lists_are_never_mixed_between_lead_providers_and_short_lists_stay_current()
    {
        await SeedAsync();
        await using var longLists = new RegisterFactory(Api.ConnectionString, new Dictionary<string, string?> { ["Lists:ExactUpTo"] = "5", ["Lists:Freshness"] = "00:10:00" });
        var a = longLists.WithToken(await longLists.IssueTokenAsync("lead_provider_api", LeadProviderA));
        var b = longLists.WithToken(await longLists.IssueTokenAsync("lead_provider_api", LeadProviderB));

        // The same pages of both lists, interleaved: each lead provider sees its own partnerships only.
        var seenA = new List<string>();
        var seenB = new List<string>();
        for (var page = 1; page <= 8; page++)
        {
            seenA.AddRange(await IdsAsync(a, $"/api/v3/partnerships?page[per_page]=3&page[page]={page}"));
            seenB.AddRange(await IdsAsync(b, $"/api/v3/partnerships?page[per_page]=3&page[page]={page}"));
        }

        Assert.Equal(23, seenA.Distinct().Count());
        Assert.Equal(7, seenB.Distinct().Count());
        Assert.Empty(seenA.Intersect(seenB));

        // B's list in one cohort is short (3 rows): a partnership added shows at once.
        var cohortB = $"/api/v3/partnerships?filter[cohort]={Year - 1}&page[per_page]=2&page[page]=2";
        var before = await IdsAsync(b, cohortB);
        await using (var connection = new NpgsqlConnection(Api.ConnectionString))
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO partnerships.school_partnerships (id, school_id, lead_provider_delivery_partner_id, lead_provider_id, cohort_year, source, created_at, api_updated_at)
                VALUES ('2fffffff-0000-0000-0000-000000000001', '10000000-0000-0000-0000-000000000001', '00000000-0000-0000-0002-000000000041', @LeadProviderB, @Year - 1,
                        'support', timestamptz '2024-01-01 00:00:00+00', now())
                """,
                new { LeadProviderB, Year });
        }

        var after = await IdsAsync(b, cohortB);
        Assert.NotEqual(before, after);
        Assert.Equal("2fffffff-0000-0000-0000-000000000001", (await IdsAsync(b, $"/api/v3/partnerships?filter[cohort]={Year - 1}&page[per_page]=2"))[0]);
        var body = await (await b.GetAsync("/api/v3/partnerships?page[per_page]=1")).BodyAsync();
        Assert.Equal(JsonValueKind.Array, body.GetProperty("data").ValueKind);
    }
}
