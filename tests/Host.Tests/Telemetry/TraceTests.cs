using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Register.TestKit;
using Serilog.Core;
using Serilog.Events;

namespace Register.Host.Tests.Telemetry;

[Collection(HostCollection.Name)]
public sealed class TraceTests(HostFixture fixture) : ApiTest<HostFixture>(fixture)
{
    [Fact]
    public async Task A_request_carrying_traceparent_continues_that_trace_and_its_log_events_carry_the_trace_id()
    {
        var events = new CapturedEvents();
        await using var factory = new RegisterFactory(Api.ConnectionString, new Dictionary<string, string?>
        {
            ["Serilog:MinimumLevel:Default"] = "Information",
        }, services => services.AddSingleton<ILogEventSink>(events));
        var client = factory.CreateClient();
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        client.DefaultRequestHeaders.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");

        var response = await client.GetAsync(new Uri("/health/live", UriKind.Relative));

        var requestId = response.Headers.GetValues("X-Request-Id").Single();
        bool IsThisRequest(LogEvent e) => e.Properties.TryGetValue("RequestId", out var id) && id.ToString() == $"\"{requestId}\"" && e.Properties.ContainsKey("StatusCode");
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!events.Any(IsThisRequest) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var logged = Assert.Single(events, IsThisRequest);
        Assert.Equal(traceId, logged.TraceId?.ToHexString());
        // The request's own span, a child of the caller's.
        Assert.NotNull(logged.SpanId);
        Assert.NotEqual("00f067aa0ba902b7", logged.SpanId!.Value.ToHexString());
    }

    [Theory]
    [InlineData("https://trs.example/v3/persons/1234567/routes-to-professional-statuses/abc-def", "https://trs.example/v3/persons/{id}/routes-to-professional-statuses/{id}")]
    [InlineData("https://trs.example/v3/persons/1234567", "https://trs.example/v3/persons/{id}")]
    [InlineData("https://trs.example/v3/trn-requests?requestId=5b1c9bd4-1d69-4f41-9a8c-7f0d2a1d4c11", "https://trs.example/v3/trn-requests")]
    [InlineData("https://trs.example/v3/trn-requests/5b1c9bd4-1d69-4f41-9a8c-7f0d2a1d4c11", "https://trs.example/v3/trn-requests/{id}")]
    [InlineData("http://localhost:5000/api/v2026.1/trainees/x7k2p9", "http://localhost:5000/api/v2026.1/trainees/{id}")]
    public void Spans_of_calls_to_TRS_keep_no_TRN_reference_or_query(string url, string exported)
    {
        using var activity = new System.Diagnostics.Activity("PUT").SetTag("url.full", url).SetTag("url.path", new Uri(url).AbsolutePath).SetTag("url.query", new Uri(url).Query);
        activity.SetIdFormat(ActivityIdFormat.W3C);

        new Register.Host.Telemetry.RedactingProcessor().OnEnd(activity);

        Assert.Equal(exported, activity.GetTagItem("url.full"));
        Assert.Null(activity.GetTagItem("url.query"));
        Assert.DoesNotContain(activity.TagObjects, t => t.Value?.ToString()?.Contains("1234567", StringComparison.Ordinal) == true);
    }

    private sealed class CapturedEvents : ConcurrentQueue<LogEvent>, ILogEventSink
    {
        public void Emit(LogEvent logEvent) => Enqueue(logEvent);
    }
}
