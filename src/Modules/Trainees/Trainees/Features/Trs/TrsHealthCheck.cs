using System.Net;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;

namespace Register.Trainees.Features.Trs;

/// <summary>
/// TRS for <c>/health/dependencies</c> (never for <c>/health/ready</c>): the simulator is always there; TRS over HTTP is
/// Degraded while the circuit is open or when the last call could not reach it, else Healthy after a recent answer. With
/// no call in the last minute it sends a cheap probe (a GET of an unknown TRN request, <c>Trs:HealthProbeTimeout</c>,
/// answered at most every 30 seconds): any HTTP answer means TRS is reachable (401/403 says the key is refused).
/// </summary>
internal sealed class TrsHealthCheck(IOptions<TrsOptions> options, TrsStatus status, IHttpClientFactory factory, TimeProvider clock) : IHealthCheck
{
    private static readonly TimeSpan Recent = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ProbeCache = TimeSpan.FromSeconds(30);
    private readonly Lock _lock = new();
    private (DateTimeOffset At, HealthCheckResult Result)? _probe;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        if (!o.UsesHttp)
        {
            return o.Simulator
                ? HealthCheckResult.Healthy("simulator", new Dictionary<string, object> { ["client"] = "simulator" })
                : HealthCheckResult.Degraded("no TRS client: the work waits in trainees.trs_requests", data: new Dictionary<string, object> { ["client"] = "none" });
        }

        var data = new Dictionary<string, object> { ["client"] = "http", ["circuit"] = status.CircuitState.ToString().ToLowerInvariant() };
        if (status.LastCallAt is { } last)
        {
            data["last_call_at"] = last;
        }

        if (status.CircuitState is CircuitState.Open or CircuitState.Isolated)
        {
            return HealthCheckResult.Degraded($"circuit open after repeated failures: {status.LastFailure}", data: data);
        }

        var now = clock.GetUtcNow();
        if (status.LastCallAt is { } at && now - at < Recent)
        {
            return status.LastFailure is { } failure
                ? HealthCheckResult.Degraded($"last call failed: {failure}", data: data)
                : HealthCheckResult.Healthy("last call answered", data);
        }

        var probe = await ProbeAsync(o, now, cancellationToken);
        return new HealthCheckResult(probe.Status, probe.Description, data: data);
    }

    private async Task<HealthCheckResult> ProbeAsync(TrsOptions o, DateTimeOffset now, CancellationToken ct)
    {
        lock (_lock)
        {
            if (_probe is { } cached && now - cached.At < ProbeCache)
            {
                return cached.Result;
            }
        }

        HealthCheckResult result;
        try
        {
            using var http = factory.CreateClient(ProbeClient);
            http.Timeout = o.HealthProbeTimeout;
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(o.BaseUrl!.TrimEnd('/') + "/"), $"v3/trn-requests?requestId=register-health-probe"));
            request.Headers.Add("X-Api-Version", o.ApiVersion);
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", o.ApiKey);
            using var response = await http.SendAsync(request, ct);
            result = response.StatusCode switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => HealthCheckResult.Degraded($"reachable, but TRS refused the API key ({(int)response.StatusCode})"),
                >= HttpStatusCode.InternalServerError => HealthCheckResult.Degraded($"reachable, but TRS answered {(int)response.StatusCode}"),
                _ => HealthCheckResult.Healthy("reachable"),
            };
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            result = HealthCheckResult.Degraded(ex is TaskCanceledException ? "unreachable: no answer in time" : $"unreachable ({((HttpRequestException)ex).HttpRequestError})");
        }

        lock (_lock)
        {
            _probe = (now, result);
        }

        return result;
    }

    public const string ProbeClient = "trs-probe";
}
