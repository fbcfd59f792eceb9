using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Register.TestKit;
using Serilog.Core;
using Serilog.Events;

namespace Register.Host.Tests.Http;

[Collection(HostCollection.Name)]
public sealed class RequestLoggingTests(HostFixture fixture) : ApiTest<HostFixture>(fixture)
{
    [Fact]
    public async Task Each_request_is_logged_with_its_id_caller_status_and_time_but_never_the_token()
    {
        var events = new CapturedEvents();
        await using var factory = new RegisterFactory(Api.ConnectionString, new Dictionary<string, string?>
        {
            ["Serilog:MinimumLevel:Default"] = "Information",
            ["Http:Proxies:KnownNetworks:0"] = "10.0.0.0/8",
        }, services =>
        {
            services.AddSingleton<ILogEventSink>(events);
            // The request arrives from a load balancer at 10.1.2.3, for a client at 203.0.113.9.
            services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(new FromLoadBalancer());
        });
        var support = await Api.SupportAsync("Logged support client");
        var token = support.DefaultRequestHeaders.Authorization!.Parameter!;
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = support.DefaultRequestHeaders.Authorization;

        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");
        var response = await client.GetAsync("/support/api-clients?page=1");

        var requestId = response.Headers.GetValues("X-Request-Id").Single();
        bool IsThisRequest(LogEvent e) => e.Properties.TryGetValue("RequestId", out var id) && id.ToString() == $"\"{requestId}\"" && e.Properties.ContainsKey("StatusCode");

        // The request is logged as the response completes, which can be just after the client has it.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!events.Any(IsThisRequest) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var logged = Assert.Single(events, IsThisRequest);
        Assert.Equal("\"Logged support client\"", logged.Properties["Caller"].ToString());
        Assert.Equal("200", logged.Properties["StatusCode"].ToString());
        Assert.Equal("\"/support/api-clients\"", logged.Properties["RequestPath"].ToString());
        Assert.True(logged.Properties.ContainsKey("Elapsed"));
        Assert.Equal("\"203.0.113.9\"", logged.Properties["ClientAddress"].ToString());
        Assert.DoesNotContain(events, e => e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture).Contains(token, StringComparison.Ordinal)
            || e.Properties.Values.Any(v => v.ToString().Contains(token, StringComparison.Ordinal)));
    }

    private sealed class FromLoadBalancer : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("10.1.2.3");
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    private sealed class CapturedEvents : ConcurrentQueue<LogEvent>, ILogEventSink
    {
        public void Emit(LogEvent logEvent) => Enqueue(logEvent);
    }
}
