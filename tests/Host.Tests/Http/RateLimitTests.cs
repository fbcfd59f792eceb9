using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Register.TestKit;

namespace Register.Host.Tests.Http;

public sealed class RateLimitFixture : ApiFixture
{
    public RegisterFactory Limited { get; private set; } = null!;

    public RegisterFactory PerIpLimited { get; private set; } = null!;

    /// <summary>Behind a proxy at 10.0.0.5 that Register is told of: 3 requests an address.</summary>
    public RegisterFactory BehindKnownProxy { get; private set; } = null!;

    /// <summary>Behind a proxy at 10.0.0.5 that Register is not told of (it trusts only 10.0.0.9).</summary>
    public RegisterFactory BehindUnknownProxy { get; private set; } = null!;

    /// <summary>3 failed tokens an address, then no more look-ups; no per-address limit to speak of.</summary>
    public RegisterFactory FloodGuarded { get; private set; } = null!;

    /// <summary>The flood guard, and 10 requests an address.</summary>
    public RegisterFactory FloodGuardedPerIp { get; private set; } = null!;

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
        BehindKnownProxy = new RegisterFactory(ConnectionString, new Dictionary<string, string?>
        {
            ["RateLimits:per_ip:AnonymousPermitLimit"] = "3",
            ["Http:Proxies:KnownProxies:0"] = "10.0.0.5",
        }, FromAddress("10.0.0.5"));
        BehindUnknownProxy = new RegisterFactory(ConnectionString, new Dictionary<string, string?>
        {
            ["RateLimits:per_ip:AnonymousPermitLimit"] = "3",
            ["Http:Proxies:KnownProxies:0"] = "10.0.0.9",
        }, FromAddress("10.0.0.5"));
        // Tokens:CacheFor=0: every request with a real token looks it up, so the look-ups counted are the guard's alone.
        FloodGuarded = new RegisterFactory(ConnectionString, new Dictionary<string, string?> { ["RateLimits:FailedTokens:PermitLimit"] = "3", ["Tokens:CacheFor"] = "0" });
        FloodGuardedPerIp = new RegisterFactory(ConnectionString, new Dictionary<string, string?>
        {
            ["RateLimits:FailedTokens:PermitLimit"] = "3",
            ["RateLimits:per_ip:AnonymousPermitLimit"] = "10",
        });
    }

    /// <summary>Every request arrives from <paramref name="address"/> (the test server has no socket of its own).</summary>
    private static Action<IServiceCollection> FromAddress(string address) =>
        services => services.AddSingleton<IStartupFilter>(new RemoteAddress(System.Net.IPAddress.Parse(address)));

    private sealed class RemoteAddress(System.Net.IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    public override async Task DisposeAsync()
    {
        await Limited.DisposeAsync();
        await PerIpLimited.DisposeAsync();
        await BehindKnownProxy.DisposeAsync();
        await BehindUnknownProxy.DisposeAsync();
        await FloodGuarded.DisposeAsync();
        await FloodGuardedPerIp.DisposeAsync();
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

    [Fact]
    public async Task Behind_a_known_proxy_each_client_address_has_its_own_limit()
    {
        var statuses = await FromClientsAsync(Api.BehindKnownProxy);

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.Unauthorized], statuses);
    }

    [Fact]
    public async Task Forwarded_headers_from_an_unknown_proxy_are_ignored()
    {
        var statuses = await FromClientsAsync(Api.BehindUnknownProxy);

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Made_up_tokens_from_an_address_that_failed_too_often_are_refused_without_a_database_look_up()
    {
        var real = Api.FloodGuarded.WithToken(await Api.FloodGuarded.IssueTokenAsync("providers_api"));
        Assert.Equal(HttpStatusCode.OK, (await real.GetAsync("/api/v0/info")).StatusCode);

        using var lookups = new TokenLookups(new Npgsql.NpgsqlConnectionStringBuilder(Api.ConnectionString).Database!);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            statuses.Add((await Api.FloodGuarded.WithToken($"rg_made-up-{Guid.NewGuid():N}").GetAsync("/api/v0/info")).StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(3, lookups.Count);
        Assert.Equal(HttpStatusCode.OK, (await real.GetAsync("/api/v0/info")).StatusCode);
        Assert.Equal(4, lookups.Count);
    }

    [Fact]
    public async Task A_flood_of_made_up_tokens_does_not_lock_out_a_real_token_from_the_same_address()
    {
        var real = Api.FloodGuardedPerIp.WithToken(await Api.FloodGuardedPerIp.IssueTokenAsync("providers_api"));
        Assert.Equal(HttpStatusCode.OK, (await real.GetAsync("/api/v0/info")).StatusCode);

        var flood = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            flood.Add((await Api.FloodGuardedPerIp.WithToken($"rg_made-up-{i}").GetAsync("/api/v0/info")).StatusCode);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, flood);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await real.GetAsync("/api/v0/info")).StatusCode);
        }
    }

    /// <summary>Three requests from one client address behind the proxy, then one more from it, then one from another.</summary>
    private static async Task<List<HttpStatusCode>> FromClientsAsync(RegisterFactory factory)
    {
        async Task<HttpStatusCode> FromAsync(string client)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/v0/info");
            request.Headers.Add("X-Forwarded-For", client);
            return (await factory.CreateClient().SendAsync(request)).StatusCode;
        }

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add(await FromAsync("203.0.113.1"));
        }

        statuses.Add(await FromAsync("203.0.113.2"));
        return statuses;
    }

    /// <summary>
    /// Counts the token look-ups this process sends to <paramref name="database"/> (Npgsql's own activity source) while it
    /// lives; the other test collections, running meanwhile, use databases of their own.
    /// </summary>
    private sealed class TokenLookups : IDisposable
    {
        private readonly System.Diagnostics.ActivityListener _listener;
        private int _count;

        public TokenLookups(string database)
        {
            _listener = new System.Diagnostics.ActivityListener
            {
                ShouldListenTo = source => source.Name == "Npgsql",
                Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllData,
                ActivityStopped = activity =>
                {
                    if (activity.TagObjects.Any(t => t.Value is string text && text.Contains("FROM access.api_clients WHERE token_hash", StringComparison.Ordinal))
                        && (activity.DisplayName.Contains(database, StringComparison.Ordinal)
                            || activity.TagObjects.Any(t => t.Value is string value && (value == database || value.Contains($"Database={database}", StringComparison.OrdinalIgnoreCase)))))
                    {
                        Interlocked.Increment(ref _count);
                    }
                },
            };
            System.Diagnostics.ActivitySource.AddActivityListener(_listener);
        }

        public int Count => Volatile.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }

    private HttpClient Client(string token)
    {
        var client = Api.Limited.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }
}
