using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Register.TestKit;

namespace Register.Providers.Tests;

[Collection(ProvidersCollection.Name)]
public sealed class ProviderTests(ProvidersFixture fixture) : ApiTest<ProvidersFixture>(fixture)
{
    private static readonly string[] Volatile =
    [
        "data.id", "data.created_at", "data.updated_at", "data.active_academic_years",
        "data.accreditations[*].id", "data.accreditations[*].created_at", "data.accreditations[*].updated_at",
        "data.addresses[*].id", "data.addresses[*].created_at", "data.addresses[*].updated_at",
    ];

    [Fact]
    public async Task A_scitt_is_created_with_its_accreditation_and_address_in_one_request()
    {
        var support = await Api.SupportAsync();

        var response = await support.PostAsJsonAsync("/support/providers", ProviderRequests.Scitt());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var data = (await response.BodyAsync()).GetProperty("data");
        Assert.Equal($"/support/providers/{data.Id()}", response.Headers.Location?.ToString());
        Assert.Equal("LS1 4AP", data.GetProperty("addresses")[0].Text("postcode"));
        Assert.Equal(2024, data.GetProperty("active_academic_years").EnumerateArray().Last().GetInt32());
        await Snapshots.MatchJsonAsync(response, Volatile);
    }

    [Fact]
    public async Task An_empty_provider_gets_every_reference_message_with_its_field()
    {
        var support = await Api.SupportAsync();

        var response = await support.PostAsJsonAsync("/support/providers", new { });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        await Snapshots.MatchJsonAsync(response);
    }

    [Theory]
    [InlineData("code", "1A", "code: Enter a valid provider code")]
    [InlineData("code", "1A!", "code: Enter a valid provider code")]
    [InlineData("ukprn", "1234567", "ukprn: Enter a valid UK provider reference number (UKPRN)")]
    [InlineData("ukprn", "1234567X", "ukprn: Enter a valid UK provider reference number (UKPRN)")]
    [InlineData("ukprn", "", "ukprn: Enter UK provider reference number (UKPRN)")]
    [InlineData("operating_name", "", "operating_name: Enter operating name")]
    [InlineData("provider_type", "college", "provider_type: provider_type is not included in the list (hei, scitt, school, other)")]
    [InlineData("accreditation_status", "accredited", "provider_type: School cannot be accredited")]
    [InlineData("urn", "", "urn: Enter unique reference number (URN)")]
    [InlineData("urn", "1234", "urn: Enter a valid unique reference number (URN)")]
    [InlineData("urn", "1234567", "urn: Enter a valid unique reference number (URN)")]
    public async Task School_rules_and_messages(string field, string value, string message)
    {
        var support = await Api.SupportAsync();

        var response = await support.PostAsJsonAsync("/support/providers", ProviderRequests.School().With(field, value));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(message, await response.MessagesAsync());
    }

    [Fact]
    public async Task An_hei_needs_no_urn_and_a_scitt_must_be_accredited()
    {
        var support = await Api.SupportAsync();

        var hei = await support.PostAsJsonAsync("/support/providers", ProviderRequests.Hei().With("urn", "not checked for an HEI"));
        var unaccreditedScitt = await support.PostAsJsonAsync("/support/providers",
            ProviderRequests.Scitt().With("accreditation_status", "unaccredited").With("accreditation", null));

        Assert.Equal(HttpStatusCode.Created, hei.StatusCode);
        Assert.Contains("provider_type: School-centred initial teacher training (SCITT) must be accredited", await unaccreditedScitt.MessagesAsync());
    }

    [Fact]
    public async Task An_accredited_provider_needs_its_accreditation()
    {
        var support = await Api.SupportAsync();

        var response = await support.PostAsJsonAsync("/support/providers", ProviderRequests.Scitt().With("accreditation", null));

        Assert.Equal(
            ["accreditation.number: Enter an accredited provider number", "accreditation.start_date: Enter accreditation start date"],
            await response.MessagesAsync());
    }

    [Fact]
    public async Task Inactive_periods_need_a_start_and_dates_must_be_plausible()
    {
        var support = await Api.SupportAsync();

        var response = await support.PostAsJsonAsync("/support/providers", ProviderRequests.Hei()
            .With("first_active_on", "0001-06-01")
            .With("inactive_periods", new object?[] { null, new { end_date = "2024-01-01" } }));

        Assert.Equal(
        [
            "first_active_on: first_active_on must be between 1900 and 2100",
            "inactive_periods[0].start_date: Enter the date the inactive period started",
            "inactive_periods[1].start_date: Enter the date the inactive period started",
        ], await response.MessagesAsync());
    }

    [Fact]
    public async Task Two_requests_for_the_same_code_at_once_create_one_provider_and_no_500()
    {
        var support = await Api.SupportAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => support.PostAsJsonAsync("/support/providers", ProviderRequests.Hei(code: "7RC", name: $"Racing {i}"))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode));
    }

    [Fact]
    public async Task Codes_are_upper_cased_and_unique_even_after_a_delete()
    {
        var support = await Api.SupportAsync();
        var first = await support.CreateAsync(ProviderRequests.Hei(code: "ab1"));
        Assert.Equal("AB1", first.Text("code"));

        var clash = await support.PostAsJsonAsync("/support/providers", ProviderRequests.School(code: "Ab1"));
        Assert.Equal(["code: Enter a unique provider code"], await clash.MessagesAsync());

        await support.DeleteAsync($"/support/providers/{first.Id()}");
        var afterDelete = await support.PostAsJsonAsync("/support/providers", ProviderRequests.School(code: "AB1"));
        Assert.Equal(["code: Enter a unique provider code"], await afterDelete.MessagesAsync());
    }

    [Fact]
    public async Task The_rotp_id_follows_the_reference_derivation_and_never_changes()
    {
        var support = await Api.SupportAsync();

        var provider = await support.CreateAsync(ProviderRequests.Hei(name: "Rotp University").With("onboarded_on", "2026-03-15"));
        var twin = await support.CreateAsync(ProviderRequests.Hei(code: "9ZZ", name: "Rotp University").With("onboarded_on", "2026-03-15"));

        var rotpId = provider.Text("rotp_id");
        Assert.Matches(new Regex(@"^RoTP-\d{2}[A-Z]\d[A-Z]{2}\d{2}$"), rotpId);
        Assert.Equal(Expected("Rotp University", "2026-03-15", attempt: 0), rotpId);
        Assert.Equal(Expected("Rotp University", "2026-03-15", attempt: 1), twin.Text("rotp_id"));
        Assert.StartsWith("RoTP-26", rotpId, StringComparison.Ordinal);
        Assert.EndsWith("03", rotpId, StringComparison.Ordinal);

        var renamed = await support.PatchAsJsonAsync($"/support/providers/{provider.Id()}", new { operating_name = "Renamed University", code = "7QQ", onboarded_on = "2025-01-01" });
        Assert.Equal(rotpId, (await renamed.BodyAsync()).GetProperty("data").Text("rotp_id"));
        await support.PostAsync($"/support/providers/{provider.Id()}/archive", null);
        var archived = await support.GetAsync($"/support/providers/{provider.Id()}");
        Assert.Equal(rotpId, (await archived.BodyAsync()).GetProperty("data").Text("rotp_id"));
    }

    [Fact]
    public async Task Update_changes_only_what_is_given_and_bumps_updated_at()
    {
        var support = await Api.SupportAsync();
        var provider = await support.CreateAsync(ProviderRequests.Hei());

        var response = await support.PatchAsJsonAsync($"/support/providers/{provider.Id()}", new { legal_name = "", ukprn = "10099999" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = (await response.BodyAsync()).GetProperty("data");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, data.GetProperty("legal_name").ValueKind);
        Assert.Equal("10099999", data.Text("ukprn"));
        Assert.Equal(provider.Text("operating_name"), data.Text("operating_name"));
        Assert.True(data.GetProperty("updated_at").GetDateTimeOffset() > provider.GetProperty("updated_at").GetDateTimeOffset());

        var invalid = await support.PatchAsJsonAsync($"/support/providers/{provider.Id()}", new { ukprn = "123" });
        Assert.Equal(["ukprn: Enter a valid UK provider reference number (UKPRN)"], await invalid.MessagesAsync());
    }

    [Fact]
    public async Task An_archived_provider_is_read_only_until_restored()
    {
        var support = await Api.SupportAsync();
        var provider = await support.CreateAsync(ProviderRequests.Scitt());
        var id = provider.Id();

        var archived = await support.PostAsync($"/support/providers/{id}/archive", null);
        Assert.Equal(HttpStatusCode.OK, archived.StatusCode);
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, (await archived.BodyAsync()).GetProperty("data").GetProperty("archived_at").ValueKind);

        var refused = new[]
        {
            await support.PatchAsJsonAsync($"/support/providers/{id}", new { operating_name = "x" }),
            await support.PostAsJsonAsync($"/support/providers/{id}/contacts", new { first_name = "A", last_name = "B", email = "a@example.com" }),
            await support.PostAsJsonAsync($"/support/providers/{id}/accreditations", new { number = "5999", start_date = "2024-08-01" }),
            await support.DeleteAsync($"/support/providers/{id}/addresses/{provider.GetProperty("addresses")[0].Id()}"),
        };
        foreach (var response in refused)
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Equal("""{"errors":[{"error":"Conflict","message":"The provider is archived, so it cannot be changed: restore it first"}]}""",
                await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(HttpStatusCode.Conflict, (await support.PostAsync($"/support/providers/{id}/archive", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await support.PostAsync($"/support/providers/{id}/restore", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await support.PostAsync($"/support/providers/{id}/restore", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await support.PatchAsJsonAsync($"/support/providers/{id}", new { operating_name = "Editable again" })).StatusCode);
    }

    [Fact]
    public async Task A_deleted_provider_is_gone_from_every_view()
    {
        var support = await Api.SupportAsync();
        var providersApi = Api.WithToken(await Api.CreateTokenAsync(support, "providers_api"));
        var provider = await support.CreateAsync(ProviderRequests.Hei());

        Assert.Equal(HttpStatusCode.NoContent, (await support.DeleteAsync($"/support/providers/{provider.Id()}")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await support.GetAsync($"/support/providers/{provider.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await support.DeleteAsync($"/support/providers/{provider.Id()}")).StatusCode);
        Assert.Equal(0, (await (await support.GetAsync("/support/providers?include_archived=true")).BodyAsync()).GetProperty("pagination").GetProperty("total_count").GetInt32());
        Assert.Equal(0, (await (await providersApi.GetAsync("/api/v1/providers")).BodyAsync()).GetProperty("pagination").GetProperty("total_count").GetInt32());
        Assert.Empty((await (await providersApi.GetAsync("/api/v0/providers")).BodyAsync()).GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Unknown_providers_are_404()
    {
        var support = await Api.SupportAsync();

        var response = await support.GetAsync($"/support/providers/{Guid.NewGuid()}");

        Assert.Equal("""{"errors":[{"error":"NotFound","message":"Provider not found"}]}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Provider_changes_are_in_the_activity_log_with_their_fields()
    {
        var support = await Api.SupportAsync("Jane Smith");
        var provider = await support.CreateAsync(ProviderRequests.Hei());
        await support.PatchAsJsonAsync($"/support/providers/{provider.Id()}", new { operating_name = "University of Renaming" });

        var items = (await support.ItemsAsync())
            .Where(i => i.Text("record_type") == "provider").ToList();

        Assert.Equal(["updated", "created"], items.Select(i => i.Text("action")));
        Assert.All(items, i => Assert.Equal("Jane Smith", i.GetProperty("actor").Text("name")));
        var change = Assert.Single(items[0].GetProperty("changes").EnumerateArray());
        Assert.Equal(("operating_name", "University of Testing", "University of Renaming"), (change.Text("field"), change.Text("old_value"), change.Text("new_value")));
    }

    /// <summary>The reference's derivation, written out independently of the production code.</summary>
    private static string Expected(string name, string onboardedOn, int attempt)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{name}|{onboardedOn}-{attempt}")));
        long Chunk(int i) => Convert.ToInt64(hex.Substring(i * 8, 8), 16);
        var date = DateOnly.Parse(onboardedOn, CultureInfo.InvariantCulture);
        return $"RoTP-{date:yy}{(char)('A' + Chunk(1) % 26)}{Chunk(0) % 10}{(char)('A' + Chunk(3) % 26)}{(char)('A' + Chunk(4) % 26)}{date:MM}";
    }
}
