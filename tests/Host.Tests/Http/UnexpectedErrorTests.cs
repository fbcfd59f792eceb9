using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Register.TestKit;

namespace Register.Host.Tests.Http;

/// <summary>An unexpected failure inside the pipeline is a 500 that shows no internals, only the request id to quote.</summary>
[Collection(HostCollection.Name)]
public sealed class UnexpectedErrorTests(HostFixture fixture) : ApiTest<HostFixture>(fixture)
{
    [Fact]
    public async Task An_unhandled_exception_is_a_500_without_internals()
    {
        // The broken clock also fails the API usage recorder's first flush (after 10 s), which stops the host: on a busy
        // machine the test could take that long, so the flush is put off.
        await using var broken = new RegisterFactory(
            Api.ConnectionString,
            new Dictionary<string, string?> { ["ApiUsage:FlushInterval"] = "01:00:00" },
            s => s.AddSingleton<TimeProvider>(new BrokenClock()));
        var support = await Api.SupportAsync();
        var client = broken.CreateClient();
        client.DefaultRequestHeaders.Authorization = support.DefaultRequestHeaders.Authorization;

        var response = await client.GetAsync("/support/api-clients");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var requestId = response.Headers.GetValues("X-Request-Id").Single();
        Assert.Equal(
            $$$"""{"errors":[{"error":"InternalServerError","message":"Something went wrong on our side. If it happens again, contact support and quote request id {{{requestId}}}."}]}""",
            body);
        Assert.DoesNotContain("secret", body, StringComparison.OrdinalIgnoreCase);
        // A 500 is a fault, never part of an API's contract: the documents leave it out, so the suite's check reports it.
        Assert.Contains("→ 500 (support): the status is not documented", Assert.Single(broken.Responses.TakeViolations()), StringComparison.Ordinal);
    }

    private sealed class BrokenClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => throw new InvalidOperationException("secret internals: connection string and stack");
    }
}
