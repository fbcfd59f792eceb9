using System.Net;
using System.Net.Http.Json;
using Dapper;
using Npgsql;
using Register.TestKit;

namespace Register.Providers.Tests;

[Collection(ProvidersCollection.Name)]
public sealed class ProvidersApiTests(ProvidersFixture fixture) : ApiTest<ProvidersFixture>(fixture)
{
    [Theory]
    [InlineData("/api/v0/providers")]
    [InlineData("/api/v1/providers")]
    [InlineData("/api/v1/info")]
    public async Task Only_a_providers_api_token_opens_it(string path)
    {
        var support = await Api.SupportAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.Anonymous().GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await support.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Api.WithToken(await Api.CreateTokenAsync(support, "providers_api")).GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task V0_has_the_reference_fields_and_order_and_includes_archived_providers()
    {
        var (support, api) = await ClientsAsync();
        var b = await support.CreateAsync(ProviderRequests.Hei("1BB", "B University"));
        var a = await support.CreateAsync(ProviderRequests.Scitt("5AA", "A SCITT"));
        await support.PostAsync($"/support/providers/{b.Id()}/archive", null);
        await SetUpdatedAtAsync(a.Id(), "2025-09-15T11:34:56.789Z");

        var response = await api.GetAsync("/api/v0/providers");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = (await response.BodyAsync()).GetProperty("data");
        Assert.Equal(["A SCITT", "B University"], data.EnumerateArray().Select(p => p.Text("operating_name")));
        Assert.Equal("2025-09-15T11:34:56Z", data[0].Text("updated_at"));
        Snapshots.MatchJson(data[0].GetRawText(), "first");
    }

    [Fact]
    public async Task Changed_since_is_inclusive_and_a_bad_value_is_400()
    {
        var (support, api) = await ClientsAsync();
        var early = await support.CreateAsync(ProviderRequests.Hei("1AA", "Early"));
        var late = await support.CreateAsync(ProviderRequests.Hei("1BB", "Late"));
        await SetUpdatedAtAsync(early.Id(), "2025-09-14T11:34:55Z");
        await SetUpdatedAtAsync(late.Id(), "2025-09-14T11:34:56Z");

        foreach (var version in new[] { "v0", "v1" })
        {
            var names = (await (await api.GetAsync($"/api/{version}/providers?changed_since=2025-09-14T11:34:56Z")).BodyAsync())
                .GetProperty("data").EnumerateArray().Select(p => p.Text("operating_name"));
            Assert.Equal(["Late"], names);

            var bad = await api.GetAsync($"/api/{version}/providers?changed_since=2025-13-45");
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal(
                """{"errors":[{"error":"BadRequest","field":"changed_since","message":"changed_since must be a valid ISO 8601 date or date-time, like 2025-09-14T11:34:56Z: '2025-13-45' is not"}]}""",
                await bad.Content.ReadAsStringAsync());
            Assert.Equal(2, (await (await api.GetAsync($"/api/{version}/providers?changed_since=")).BodyAsync()).GetProperty("data").GetArrayLength());
        }
    }

    [Fact]
    public async Task V0_filters_by_academic_year_and_treats_anything_else_as_the_current_one()
    {
        var (support, api) = await ClientsAsync();
        await support.CreateAsync(ProviderRequests.Hei("1AA", "Current"));
        await support.CreateAsync(ProviderRequests.Hei("1BB", "Closed").With("onboarded_on", "2019-09-01")
            .With("inactive_periods", new[] { new { start_date = "2021-08-01", end_date = (string?)null, reason = "Closed" } }));

        async Task<IEnumerable<string>> Names(string query) =>
            (await (await api.GetAsync($"/api/v0/providers{query}")).BodyAsync()).GetProperty("data").EnumerateArray().Select(p => p.Text("operating_name"));

        Assert.Equal(["Closed"], await Names("?academic_year=2020"));
        Assert.Equal(["Current"], await Names(""));
        Assert.Equal(["Current"], await Names("?academic_year=garbage"));
        Assert.Empty(await Names("?academic_year=2019&changed_since=2100-01-01"));
    }

    [Fact]
    public async Task V1_pages_in_updated_at_then_id_order_with_archived_at()
    {
        var (support, api) = await ClientsAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await support.CreateAsync(ProviderRequests.Hei($"1A{i}", $"Provider {i}"))).Id());
        }

        await SetUpdatedAtAsync(ids[4], "2020-01-01T00:00:00Z");
        await support.PostAsync($"/support/providers/{ids[0]}/archive", null);

        var first = await (await api.GetAsync("/api/v1/providers?per_page=2")).BodyAsync();
        var last = await (await api.GetAsync("/api/v1/providers?per_page=2&page=3")).BodyAsync();
        var beyond = await (await api.GetAsync("/api/v1/providers?per_page=2&page=4")).BodyAsync();

        Assert.Equal(["Provider 4", "Provider 1"], first.GetProperty("data").EnumerateArray().Select(p => p.Text("operating_name")));
        var pagination = first.GetProperty("pagination");
        Assert.Equal((1, 2, 5, 3), (pagination.GetProperty("page").GetInt32(), pagination.GetProperty("per_page").GetInt32(), pagination.GetProperty("total_count").GetInt32(), pagination.GetProperty("total_pages").GetInt32()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, last.GetProperty("pagination").GetProperty("next_cursor").ValueKind);
        Assert.Equal(["Provider 0"], last.GetProperty("data").EnumerateArray().Select(p => p.Text("operating_name")));
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, last.GetProperty("data")[0].GetProperty("archived_at").ValueKind);
        Assert.Empty(beyond.GetProperty("data").EnumerateArray());
        Snapshots.MatchJson(first.GetProperty("data")[0].GetRawText(), "item", "created_at", "updated_at");
    }

    [Fact]
    public async Task V1_long_lists_page_as_the_exact_list_directly_and_walking_with_their_total_kept()
    {
        var (support, exact) = await ClientsAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 8; i++)
        {
            ids.Add((await support.CreateAsync(ProviderRequests.Hei($"1L{i}", $"Provider {i}"))).Id());
            // Pairs share an updated_at: the id orders them.
            await SetUpdatedAtAsync(ids[^1], $"2025-01-0{1 + (i * 5 % 8 / 2)}T00:00:00Z");
        }

        await using var longLists = new RegisterFactory(Api.ConnectionString, new Dictionary<string, string?> { ["Lists:ExactUpTo"] = "3", ["Lists:Freshness"] = "00:10:00" });
        var api = longLists.WithToken(await Api.CreateTokenAsync(support, "providers_api"));
        async Task<(List<string> Names, long Total, int Pages)> PageAsync(HttpClient client, string url)
        {
            var body = await (await client.GetAsync(url)).BodyAsync();
            var pagination = body.GetProperty("pagination");
            return (body.GetProperty("data").EnumerateArray().Select(p => p.Text("operating_name")!).ToList(),
                pagination.GetProperty("total_count").GetInt64(), pagination.GetProperty("total_pages").GetInt32());
        }

        foreach (var filter in new[] { "", "changed_since=2025-01-02T00:00:00Z&" })
        {
            var all = (await PageAsync(exact, $"/api/v1/providers?{filter}per_page=200")).Names;
            var pages = (all.Count + 1) / 2;
            Assert.Equal(all.Skip((pages - 1) * 2).ToList(), (await PageAsync(api, $"/api/v1/providers?{filter}per_page=2&page={pages}")).Names);
            Assert.Equal(all.Skip((pages - 1) * 2).ToList(), (await PageAsync(api, $"/api/v1/providers?{filter}per_page=2&page={pages}")).Names);
            for (var walk = 0; walk < 2; walk++)
            {
                for (var page = 1; page <= pages + 1; page++)
                {
                    var (names, total, totalPages) = await PageAsync(api, $"/api/v1/providers?{filter}per_page=2&page={page}");
                    Assert.Equal(all.Skip((page - 1) * 2).Take(2).ToList(), names);
                    Assert.Equal((all.Count, pages), ((int)total, totalPages));
                }
            }
        }

        // A long list's total is kept for a while (Lists:Freshness); a short list's (the exact factory's) is current.
        await support.CreateAsync(ProviderRequests.Hei("1L9", "Provider 9"));
        Assert.Equal(8, (await PageAsync(api, "/api/v1/providers?per_page=2")).Total);
        Assert.Equal(9, (await PageAsync(exact, "/api/v1/providers?per_page=2")).Total);
    }

    [Fact]
    public async Task V1_cursor_pages_miss_nothing_when_providers_change_while_a_client_pages()
    {
        var (support, api) = await ClientsAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await support.CreateAsync(ProviderRequests.Hei($"1C{i}", $"Provider {i}"))).Id());
            await SetUpdatedAtAsync(ids[^1], $"2025-01-0{i + 1}T00:00:00Z");
        }

        var seen = new List<string>();
        var body = await (await api.GetAsync("/api/v1/providers?per_page=2")).BodyAsync();
        seen.AddRange(body.GetProperty("data").EnumerateArray().Select(p => p.Text("operating_name")));

        // Provider 0, already seen, changes: with page numbers, page 2 would now skip Provider 2.
        await support.PatchAsJsonAsync($"/support/providers/{ids[0]}", new { legal_name = "Changed" });
        string? cursor = body.GetProperty("pagination").GetProperty("next_cursor").GetString();
        while (cursor is not null)
        {
            body = await (await api.GetAsync($"/api/v1/providers?per_page=2&cursor={cursor}")).BodyAsync();
            seen.AddRange(body.GetProperty("data").EnumerateArray().Select(p => p.Text("operating_name")));
            cursor = body.GetProperty("pagination").GetProperty("next_cursor").GetString();
        }

        Assert.Equal(["Provider 0", "Provider 1", "Provider 2", "Provider 3", "Provider 4", "Provider 0"], seen);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync("/api/v1/providers?cursor=nonsense")).StatusCode);
    }

    [Theory]
    [InlineData("per_page=201", "per_page must be a whole number from 1 to 200")]
    [InlineData("per_page=0", "per_page must be a whole number from 1 to 200")]
    [InlineData("page=-1", "page must be a whole number from 1 to 1000000")]
    [InlineData("page=1000001", "page must be a whole number from 1 to 1000000")]
    [InlineData("academic_year=twenty", "academic_year must be a year like 2025: 'twenty' is not")]
    public async Task V1_bad_parameters_are_400(string query, string message)
    {
        var (_, api) = await ClientsAsync();

        var response = await api.GetAsync($"/api/v1/providers?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message, (await response.BodyAsync()).GetProperty("errors")[0].Text("message"));
    }

    [Fact]
    public async Task An_accreditation_status_change_by_the_sync_surfaces_through_changed_since()
    {
        var (support, api) = await ClientsAsync();
        var school = await support.CreateAsync(ProviderRequests.School());
        await SetUpdatedAtAsync(school.Id(), "2020-01-01T00:00:00Z");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

        await support.PostAsJsonAsync($"/support/providers/{school.Id()}/accreditations", new { number = "5432", start_date = "2024-08-01" });

        var changed = (await (await api.GetAsync($"/api/v1/providers?changed_since={before}")).BodyAsync()).GetProperty("data");
        Assert.Equal(("scitt", "accredited"), (changed[0].Text("provider_type"), changed[0].Text("accreditation_status")));
    }

    private async Task<(HttpClient Support, HttpClient Api)> ClientsAsync()
    {
        var support = await Api.SupportAsync();
        return (support, Api.WithToken(await Api.CreateTokenAsync(support, "providers_api")));
    }

    private async Task SetUpdatedAtAsync(Guid id, string at)
    {
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        await connection.ExecuteAsync("UPDATE providers.providers SET updated_at = @at::timestamptz WHERE id = @id", new { id, at });
    }
}
