using System.Net;
using System.Net.Http.Json;
using Register.TestKit;

namespace Register.Host.Tests.Access;

[Collection(HostCollection.Name)]
public sealed class ApiClientsTests(HostFixture fixture) : ApiTest<HostFixture>(fixture)
{
    private static readonly string[] Volatile =
        ["data.id", "data.created_at", "data.updated_at", "data.expires_on", "data.token", "data.revoked_at", "data.last_used_at"];

    [Fact]
    public async Task Create_answers_201_with_the_token_once()
    {
        var support = await Api.SupportAsync("Support desk");

        var response = await support.PostAsJsonAsync("/support/api-clients", new { name = "  Acme SRS  ", audience = "trainees_api", organisation_id = "0b7c1b2e-8a6c-4c9e-9d55-8d1f7c7a0001" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var data = (await response.BodyAsync()).GetProperty("data");
        Assert.Equal($"/support/api-clients/{data.GetProperty("id").GetGuid()}", response.Headers.Location?.ToString());
        Assert.StartsWith("rg_", data.GetProperty("token").GetString(), StringComparison.Ordinal);
        await Snapshots.MatchJsonAsync(response, Volatile);

        var shown = await support.GetAsync(response.Headers.Location);
        Assert.False((await shown.BodyAsync()).GetProperty("data").TryGetProperty("token", out _));
    }

    [Fact]
    public async Task Expiry_defaults_to_twelve_months()
    {
        var support = await Api.SupportAsync();

        var response = await support.PostAsJsonAsync("/support/api-clients", new { name = "Providers reader", audience = "providers_api" });

        var expiresOn = DateOnly.Parse((await response.BodyAsync()).GetProperty("data").GetProperty("expires_on").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Assert.InRange(expiresOn, today.AddMonths(12).AddDays(-1), today.AddMonths(12).AddDays(1));
    }

    [Fact]
    public async Task Invalid_clients_get_422_naming_each_field_and_rule()
    {
        var support = await Api.SupportAsync();

        var response = await support.PostAsJsonAsync("/support/api-clients", new { name = "", audience = "everyone", expires_on = "2099-01-01" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        await Snapshots.MatchJsonAsync(response);
    }

    [Theory]
    [InlineData("trainees_api", null, "organisation_id is required for trainees_api and lead_provider_api clients")]
    [InlineData("lead_provider_api", null, "organisation_id is required for trainees_api and lead_provider_api clients")]
    [InlineData("support", "0b7c1b2e-8a6c-4c9e-9d55-8d1f7c7a0001", "organisation_id must be blank for support and providers_api clients")]
    [InlineData("providers_api", "0b7c1b2e-8a6c-4c9e-9d55-8d1f7c7a0001", "organisation_id must be blank for support and providers_api clients")]
    public async Task Organisation_scope_must_match_the_audience(string audience, string? organisationId, string message)
    {
        var support = await Api.SupportAsync();

        var response = await support.PostAsJsonAsync("/support/api-clients", new { name = "Scoped", audience, organisation_id = organisationId });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(message, (await response.BodyAsync()).GetProperty("errors")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task Names_are_unique_ignoring_case_among_clients_not_deleted()
    {
        var support = await Api.SupportAsync();
        var first = await support.PostAsJsonAsync("/support/api-clients", new { name = "Acme", audience = "providers_api" });

        var clash = await support.PostAsJsonAsync("/support/api-clients", new { name = "ACME", audience = "providers_api" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, clash.StatusCode);
        Assert.Equal("name has already been taken: another API client is called 'ACME'", (await clash.BodyAsync()).GetProperty("errors")[0].GetProperty("message").GetString());

        (await support.DeleteAsync(first.Headers.Location)).EnsureSuccessStatusCode();
        var reuse = await support.PostAsJsonAsync("/support/api-clients", new { name = "ACME", audience = "providers_api" });
        Assert.Equal(HttpStatusCode.Created, reuse.StatusCode);
    }

    [Fact]
    public async Task List_pages_clients_by_name_without_tokens()
    {
        var support = await Api.SupportAsync("Zed support");
        foreach (var name in new[] { "beta", "Alpha", "gamma" })
        {
            (await support.PostAsJsonAsync("/support/api-clients", new { name, audience = "providers_api" })).EnsureSuccessStatusCode();
        }

        var response = await support.GetAsync("/support/api-clients?per_page=2&page=1");
        var body = await response.BodyAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["Alpha", "beta"], body.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal("""{"page":1,"per_page":2,"total_count":4,"total_pages":2}""", body.GetProperty("pagination").GetRawText());
        Assert.DoesNotContain("\"token\"", body.GetRawText(), StringComparison.Ordinal);

        var onlySupport = await (await support.GetAsync("/support/api-clients?audience=support")).BodyAsync();
        Assert.Equal(["Zed support"], onlySupport.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
    }

    [Theory]
    [InlineData("page=0", "page must be a whole number from 1 to 1000000")]
    [InlineData("per_page=101", "per_page must be a whole number from 1 to 100")]
    [InlineData("per_page=abc", "per_page must be a whole number from 1 to 100")]
    [InlineData("audience=everyone", "audience is not included in the list (support, providers_api, trainees_api, lead_provider_api)")]
    public async Task Bad_list_parameters_are_400(string query, string message)
    {
        var support = await Api.SupportAsync();

        var response = await support.GetAsync($"/support/api-clients?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message, (await response.BodyAsync()).GetProperty("errors")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task Rename_revoke_and_delete()
    {
        var support = await Api.SupportAsync();
        var created = await support.PostAsJsonAsync("/support/api-clients", new { name = "Old name", audience = "providers_api" });
        var location = created.Headers.Location!.ToString();

        var renamed = await support.PatchAsJsonAsync(location, new { name = "New name" });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("New name", (await renamed.BodyAsync()).GetProperty("data").GetProperty("name").GetString());

        var revoked = await support.PostAsync($"{location}/revoke", null);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        await Snapshots.MatchJsonAsync(revoked, Volatile);

        var again = await support.PostAsync($"{location}/revoke", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("""{"errors":[{"error":"Conflict","message":"API client is already revoked"}]}""", await again.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.NoContent, (await support.DeleteAsync(location)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await support.GetAsync(location)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await support.DeleteAsync(location)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await support.PatchAsJsonAsync(location, new { name = "x" })).StatusCode);
    }

    [Fact]
    public async Task Unknown_ids_are_404()
    {
        var support = await Api.SupportAsync();
        var id = Guid.NewGuid();

        var response = await support.GetAsync($"/support/api-clients/{id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("""{"errors":[{"error":"NotFound","message":"API client not found"}]}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Every_change_is_in_the_activity_log_with_its_actor_and_fields()
    {
        var support = await Api.SupportAsync("Support desk");
        var created = await support.PostAsJsonAsync("/support/api-clients", new { name = "Logged", audience = "providers_api", expires_on = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30) });
        await support.PatchAsJsonAsync(created.Headers.Location, new { name = "Logged again" });
        await support.PostAsync($"{created.Headers.Location}/revoke", null);
        await support.DeleteAsync(created.Headers.Location);

        var items = await support.ItemsAsync();

        // Newest first: deleted, revoked, updated, created (the support token's own creation is last).
        Assert.Equal(["deleted", "revoked", "updated", "created", "created"], items.Select(i => i.GetProperty("action").GetString()));
        Assert.All(items.Take(4), i => Assert.Equal("Support desk", i.GetProperty("actor").GetProperty("name").GetString()));
        Assert.Equal("Register command line", items[4].GetProperty("actor").GetProperty("name").GetString());
        Snapshots.MatchJson(items[2].GetRawText(), "renamed", "id", "occurred_at", "record_id", "actor.id", "byline");
    }
}
