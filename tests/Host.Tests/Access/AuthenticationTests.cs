using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Register.Access.Contracts;
using Npgsql;
using Register.TestKit;

namespace Register.Host.Tests.Access;

[Collection(HostCollection.Name)]
public sealed class AuthenticationTests(HostFixture fixture) : ApiTest<HostFixture>(fixture)
{
    [Theory]
    [InlineData("/support/api-clients")]
    [InlineData("/api/v0/info")]
    [InlineData("/api/v2026.1/info")]
    [InlineData("/support/no-such-thing")]
    public async Task No_token_is_401_with_the_reference_body(string path)
    {
        var response = await Api.Anonymous().GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("""{"error":"Unauthorized"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_lead_provider_api_answers_401_with_its_own_body()
    {
        var response = await Api.WithToken("rg_not-a-real-token").GetAsync("/api/v3/partnerships");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("""{"error":"HTTP Token: Access denied"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unknown_token_is_401()
    {
        var response = await Api.WithToken("rg_" + new string('x', 43)).GetAsync("/support/api-clients");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_valid_token_opens_its_own_api()
    {
        var support = await Api.SupportAsync();
        var providersToken = await Api.CreateTokenAsync(support, "providers_api");

        var response = await Api.WithToken(providersToken).GetAsync("/api/v0/info");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"ok","version":{"requested":"v0","latest":"v0"}}""", await response.Content.ReadAsStringAsync());
    }

    /// <summary>v0 is the reference's providers API (its only version, so its latest is v0); v1 is Register's own and says so.</summary>
    [Theory]
    [InlineData("v0", """{"status":"ok","version":{"requested":"v0","latest":"v0"}}""")]
    [InlineData("v1", """{"status":"ok","version":{"requested":"v1","latest":"v1"}}""")]
    public async Task Each_providers_api_version_answers_info_with_the_latest_of_its_own_line(string version, string expected)
    {
        var support = await Api.SupportAsync();
        var providers = Api.WithToken(await Api.CreateTokenAsync(support, "providers_api"));

        var response = await providers.GetAsync($"/api/{version}/info");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_token_of_another_audience_gets_that_apis_own_401()
    {
        var support = await Api.SupportAsync();
        var providersToken = await Api.CreateTokenAsync(support, "providers_api");
        var traineesToken = await Api.CreateTokenAsync(support, "trainees_api", Guid.NewGuid());
        var leadProviderToken = await Api.CreateTokenAsync(support, "lead_provider_api", Guid.NewGuid());

        var providersOnSupport = await Api.WithToken(providersToken).GetAsync("/support/api-clients");
        var traineesOnProviders = await Api.WithToken(traineesToken).GetAsync("/api/v0/info");
        var providersOnTrainees = await Api.WithToken(providersToken).GetAsync("/api/v2026.1/info");
        var supportOnLeadProvider = await support.GetAsync("/api/v3/partnerships");
        var leadProviderOnSupport = await Api.WithToken(leadProviderToken).GetAsync("/support/api-clients");

        foreach (var response in new[] { providersOnSupport, traineesOnProviders, providersOnTrainees, leadProviderOnSupport })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("""{"error":"Unauthorized"}""", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(HttpStatusCode.Unauthorized, supportOnLeadProvider.StatusCode);
        Assert.Equal("""{"error":"HTTP Token: Access denied"}""", await supportOnLeadProvider.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Each_trainee_api_version_answers_info_with_the_latest_version()
    {
        var support = await Api.SupportAsync();
        var provider = await support.CreateAsync(ProviderRequests.Hei());
        var trainees = Api.WithToken(await Api.CreateTokenAsync(support, "trainees_api", provider.Id()));

        foreach (var version in new[] { "v2025.0", "v2026.0", "v2026.1" })
        {
            var response = await trainees.GetAsync($"/api/{version}/info");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal($$$"""{"status":"ok","version":{"requested":"{{{version}}}","latest":"v2026.1"}}""", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task An_unknown_path_under_an_api_is_404_after_authentication()
    {
        var support = await Api.SupportAsync();
        var trainees = Api.WithToken(await Api.CreateTokenAsync(support, "trainees_api", Guid.NewGuid()));
        var leadProvider = Api.WithToken(await Api.CreateTokenAsync(support, "lead_provider_api", Guid.NewGuid()));

        var traineesResponse = await trainees.GetAsync("/api/v2026.1/nothing-here");
        var leadProviderResponse = await leadProvider.GetAsync("/api/v3/nothing-here");
        var supportResponse = await support.GetAsync("/support/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, traineesResponse.StatusCode);
        Assert.Equal("""{"errors":[{"error":"NotFound","message":"Not found"}]}""", await traineesResponse.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, leadProviderResponse.StatusCode);
        Assert.Equal("""{"errors":[{"title":"Resource not found","detail":"Nothing could be found for the provided details"}]}""",
            await leadProviderResponse.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, supportResponse.StatusCode);
    }

    [Fact]
    public async Task A_revoked_token_is_401()
    {
        var support = await Api.SupportAsync();
        var (id, token) = await CreateAsync(support, "providers_api");
        Assert.Equal(HttpStatusCode.OK, (await Api.WithToken(token).GetAsync("/api/v0/info")).StatusCode);

        (await support.PostAsync($"/support/api-clients/{id}/revoke", null)).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.WithToken(token).GetAsync("/api/v0/info")).StatusCode);
    }

    [Fact]
    public async Task A_token_kept_in_memory_stops_working_at_once_when_revoked_or_deleted_and_keeps_working_when_renamed()
    {
        var support = await Api.SupportAsync();
        var (revokedId, revoked) = await CreateAsync(support, "providers_api");
        var (deletedId, deleted) = await CreateAsync(support, "providers_api");
        var (renamedId, renamed) = await CreateAsync(support, "providers_api");
        foreach (var token in new[] { revoked, deleted, renamed })
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await Api.WithToken(token).GetAsync("/api/v0/info")).StatusCode);
            }
        }

        (await support.PostAsync($"/support/api-clients/{revokedId}/revoke", null)).EnsureSuccessStatusCode();
        (await support.DeleteAsync($"/support/api-clients/{deletedId}")).EnsureSuccessStatusCode();
        (await support.PatchAsJsonAsync($"/support/api-clients/{renamedId}", new { name = "Renamed SRS" })).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.WithToken(revoked).GetAsync("/api/v0/info")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.WithToken(deleted).GetAsync("/api/v0/info")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Api.WithToken(renamed).GetAsync("/api/v0/info")).StatusCode);
    }

    [Fact]
    public async Task A_deleted_clients_token_is_401()
    {
        var support = await Api.SupportAsync();
        var (id, token) = await CreateAsync(support, "providers_api");

        (await support.DeleteAsync($"/support/api-clients/{id}")).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.WithToken(token).GetAsync("/api/v0/info")).StatusCode);
    }

    [Fact]
    public async Task A_token_works_through_its_expiry_day_and_not_after()
    {
        var support = await Api.SupportAsync();
        var (id, token) = await CreateAsync(support, "providers_api");
        var (expiredId, expiredToken) = await CreateAsync(support, "providers_api");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/London")).DateTime);

        // Set behind Register's back before the tokens are first used (a client opened lately is kept in memory for seconds).
        await SetExpiryAsync(id, today);
        await SetExpiryAsync(expiredId, today.AddDays(-1));

        Assert.Equal(HttpStatusCode.OK, (await Api.WithToken(token).GetAsync("/api/v0/info")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.WithToken(expiredToken).GetAsync("/api/v0/info")).StatusCode);
    }

    [Fact]
    public async Task A_bare_token_without_the_bearer_prefix_is_accepted_as_by_the_reference()
    {
        var support = await Api.SupportAsync();
        var (_, token) = await CreateAsync(support, "providers_api");
        var client = Api.Anonymous();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", token);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v0/info")).StatusCode);
    }

    [Fact]
    public async Task Last_used_at_is_written_at_most_once_a_day()
    {
        var support = await Api.SupportAsync();
        var (id, token) = await CreateAsync(support, "providers_api");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await (await support.GetAsync($"/support/api-clients/{id}")).BodyAsync()).GetProperty("data").GetProperty("last_used_at").ValueKind);

        await Api.WithToken(token).GetAsync("/api/v0/info");
        var first = await LastUsedAtAsync(id);
        await Api.WithToken(token).GetAsync("/api/v0/info");
        var second = await LastUsedAtAsync(id);

        Assert.NotNull(first);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Tokens_work_in_british_summer_time_and_record_their_first_use_of_the_london_day()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 7, 1, 22, 30, 0, TimeSpan.Zero));
        await using var summer = new RegisterFactory(Api.ConnectionString, services: s => s.AddSingleton<TimeProvider>(clock));
        await using var scope = summer.Services.CreateAsyncScope();
        var issued = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new IssueApiToken("Summer", "providers_api", null, null));
        var client = summer.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", issued.Token);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v0/info")).StatusCode);
        var first = await LastUsedAtAsync(issued.ClientId);

        // 23:30 UTC on 1 July is 00:30 on 2 July in London: a new day, so one more write.
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v0/info")).StatusCode);
        var second = await LastUsedAtAsync(issued.ClientId);

        Assert.Equal(new DateTime(2026, 7, 1, 22, 30, 0, DateTimeKind.Utc), first?.ToUniversalTime());
        Assert.Equal(new DateTime(2026, 7, 1, 23, 30, 0, DateTimeKind.Utc), second?.ToUniversalTime());
    }

    [Fact]
    public async Task Only_a_keyed_hash_of_the_token_is_stored()
    {
        var support = await Api.SupportAsync();
        var (id, token) = await CreateAsync(support, "providers_api");

        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        var stored = await connection.QuerySingleAsync<byte[]>("SELECT token_hash FROM access.api_clients WHERE id = @id", new { id });
        var rowText = await connection.QuerySingleAsync<string>("SELECT row_to_json(c)::text FROM access.api_clients c WHERE id = @id", new { id });

        Assert.Equal(HMACSHA256.HashData(Convert.FromBase64String(RegisterFactory.TokenHashKey), Encoding.UTF8.GetBytes(token)), stored);
        Assert.DoesNotContain(token, rowText, StringComparison.Ordinal);
        Assert.StartsWith("rg_", token, StringComparison.Ordinal);
        Assert.Equal(43, token.Length - 3); // 32 random bytes, base64url
    }

    private async Task<(Guid Id, string Token)> CreateAsync(HttpClient support, string audience)
    {
        var response = await support.PostAsJsonAsync("/support/api-clients", new { name = $"client {Guid.NewGuid():N}", audience });
        var data = (await response.BodyAsync()).GetProperty("data");
        return (data.GetProperty("id").GetGuid(), data.GetProperty("token").GetString()!);
    }

    private async Task SetExpiryAsync(Guid id, DateOnly expiresOn)
    {
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        await connection.ExecuteAsync("UPDATE access.api_clients SET expires_on = @expiresOn WHERE id = @id", new { id, expiresOn = expiresOn.ToDateTime(TimeOnly.MinValue) });
    }

    private async Task<DateTime?> LastUsedAtAsync(Guid id)
    {
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        return await connection.QuerySingleAsync<DateTime?>("SELECT last_used_at FROM access.api_clients WHERE id = @id", new { id });
    }
}
