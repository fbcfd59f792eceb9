using System.Net;
using Register.TestKit;

namespace Register.Host.Tests.Http;

public sealed class RateLimitFixture : ApiFixture
{
    public RegisterFactory Limited { get; private set; } = null!;

    public RegisterFactory PerIpLimited { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Limited = new RegisterFactory(ConnectionString, new Dictionary<string, string?>
        {
            ["RateLimits:providers_api:TokenPermitLimit"] = "3",
            ["RateLimits:providers_api:AnonymousPermitLimit"] = "2",
            ["RateLimits:providers_api:Window"] = "00:01:00",
        });
        PerIpLimited = new RegisterFactory(ConnectionString, new Dictionary<string, string?> { ["RateLimits:per_ip:AnonymousPermitLimit"] = "5" });
    }

    public override async Task DisposeAsync()
    {
        await Limited.DisposeAsync();
        await PerIpLimited.DisposeAsync();
        await base.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class RateLimitCollection : ICollectionFixture<RateLimitFixture>
{
    public const string Name = "rate-limits";
}

[Collection(RateLimitCollection.Name)]
public sealed class RateLimitTests(RateLimitFixture fixture) : ApiTest<RateLimitFixture>(fixture)
{
    [Fact]
    public async Task Each_token_has_its_own_limit_then_429_with_retry_after()
    {
        var support = await Api.SupportAsync();
        var first = Client(await Api.CreateTokenAsync(support, "providers_api"));
        var second = Client(await Api.CreateTokenAsync(support, "providers_api"));

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/api/v0/info")).StatusCode);
        }

        var refused = await first.GetAsync("/api/v0/info");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal($$$"""{"errors":[{"error":"TooManyRequests","message":"Too many requests. Try again in {{{retryAfter}}} seconds."}]}""",
            await refused.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/api/v0/info")).StatusCode);
    }

    [Fact]
    public async Task Requests_without_a_token_are_limited_per_ip_before_authentication()
    {
        var anonymous = Api.Limited.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await anonymous.GetAsync("/api/v0/info")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Made_up_tokens_do_not_escape_the_per_address_limit()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
        {
            var client = Api.PerIpLimited.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", $"rg_made-up-{i}");
            statuses.Add((await client.GetAsync("/api/v0/info")).StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 5).Concat([HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests]), statuses);
    }

    private HttpClient Client(string token)
    {
        var client = Api.Limited.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }
}
