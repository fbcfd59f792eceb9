using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Register.TestKit;

namespace Register.Host.Tests.Web;

/// <summary>What goes wrong inside a page is the service's own error page, with the request id and no internals.</summary>
[Collection(HostCollection.Name)]
public sealed class ErrorPageTests(HostFixture fixture) : ApiTest<HostFixture>(fixture)
{
    [Fact]
    public async Task An_unhandled_exception_in_a_page_is_the_500_page_without_internals()
    {
        // The broken clock also fails the API usage recorder's first flush (after 10 s), which stops the host: on a busy
        // machine the test could take that long, so the flush is put off.
        await using var broken = new RegisterFactory(
            Api.ConnectionString,
            new Dictionary<string, string?> { ["ApiUsage:FlushInterval"] = "01:00:00" },
            s => s.AddSingleton<TimeProvider>(new BrokenClock()));
        var browser = WebSession.Anonymous(broken);

        var response = await browser.Client.GetAsync("/sign-in/link?token=rg_anything");
        var page = await WebSession.ParseAsync(response);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("Sorry, there is a problem with the service", page.Heading());
        Assert.Contains(response.Headers.GetValues("X-Request-Id").Single(), page.Text());
        Assert.DoesNotContain("secret", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(page.QuerySelector("header .govuk-service-navigation"));
    }

    private sealed class BrokenClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => throw new InvalidOperationException("secret internals: connection string and stack");
    }
}
