using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Register.Trainees.Features.Trs;

/// <summary>
/// TRS over HTTP, API version <c>Trs:ApiVersion</c> (20250627), as the reference calls it (spec §1.1): every request sends
/// <c>Accept: application/json</c>, <c>X-Api-Version</c> and <c>Authorization: Bearer</c>; a body is sent as
/// <c>application/json;odata.metadata=minimal</c> (the reference's content type, which production TRS takes as JSON; a
/// GET has no body, so no content type). The resilience handler (<see cref="AddTrsHttpClient"/>) gives each attempt a
/// timeout, retries transient failures a few times at once, and opens a circuit when most calls fail; what still fails
/// comes back as a <see cref="TrsAnswer{T}"/> with TRS's status or as <see cref="TrsUnavailableException"/>, and the
/// queue (<c>trainees.trs_requests</c>) tries again later. Nothing here logs a body or the key.
/// </summary>
internal sealed class TrsHttpClient(HttpClient http, IOptions<TrsOptions> options, TrsStatus status) : ITeachingRegulationService
{
    public const string ContentType = "application/json;odata.metadata=minimal";

    public string Kind => "http";

    public Task<TrsAnswer<TrnRequestInfo>> CreateTrnRequestAsync(TrnRequestBody body, CancellationToken ct) =>
        SendAsync<TrnRequestInfo>(HttpMethod.Post, "v3/trn-requests", body, ct);

    public Task<TrsAnswer<TrnRequestInfo>> GetTrnRequestAsync(string requestId, CancellationToken ct) =>
        SendAsync<TrnRequestInfo>(HttpMethod.Get, $"v3/trn-requests?requestId={Uri.EscapeDataString(requestId)}", null, ct);

    public Task<TrsAnswer<bool>> SetPersonalDataAsync(string trn, PersonalDataBody body, CancellationToken ct) =>
        SendAsync<bool>(HttpMethod.Put, $"v3/persons/{Uri.EscapeDataString(trn)}", body, ct);

    public Task<TrsAnswer<bool>> SetRouteAsync(string trn, string reference, RouteBody body, CancellationToken ct) =>
        SendAsync<bool>(HttpMethod.Put, $"v3/persons/{Uri.EscapeDataString(trn)}/routes-to-professional-statuses/{Uri.EscapeDataString(reference)}", body, ct);

    public Task<TrsAnswer<JsonElement>> GetPersonAsync(string trn, CancellationToken ct) =>
        SendAsync<JsonElement>(HttpMethod.Get, $"v3/persons/{Uri.EscapeDataString(trn)}", null, ct);

    private async Task<TrsAnswer<T>> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Add("X-Api-Version", options.Value.ApiVersion);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Value.ApiKey);
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body, body.GetType(), TrsJson.Options), Encoding.UTF8);
            // Exactly as the reference writes it (a parsed header would gain a space after the semicolon).
            request.Content.Headers.Remove("Content-Type");
            request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && Unavailable(ex) is { } reason)
        {
            status.Failed(reason);
            throw new TrsUnavailableException(reason, ex);
        }

        using (response)
        {
            var answer = await ReadAsync<T>(response, ct);
            if (answer.IsTransient)
            {
                status.Failed(answer.Describe());
            }
            else
            {
                status.Answered(answer.Status);
            }

            return answer;
        }
    }

    /// <summary>Why TRS could not be reached (no personal data: the exception's type and status only), or null for an exception that is not about reaching it.</summary>
    private static string? Unavailable(Exception ex) => ex switch
    {
        BrokenCircuitException => "TRS circuit open: calls are paused after repeated failures",
        TimeoutRejectedException => "TRS did not answer in time",
        HttpRequestException { HttpRequestError: var error } => $"TRS could not be reached ({error})",
        TaskCanceledException or TimeoutException => "TRS did not answer in time",
        _ => null,
    };

    private static async Task<TrsAnswer<T>> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        var code = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(ct);
        if (response.IsSuccessStatusCode)
        {
            if (typeof(T) == typeof(bool))
            {
                return TrsAnswer<T>.Success(code, (T)(object)true);
            }

            return TrsAnswer<T>.Success(code, JsonSerializer.Deserialize<T>(text.Length == 0 ? "{}" : text, TrsJson.Options)!);
        }

        // A ProblemDetails ({title, detail, status, errorCode}) or a ValidationProblemDetails (errors keyed by field): the code, the
        // title and the fields only, since detail and the messages may repeat what was sent.
        int? errorCode = null;
        string? title = null;
        List<string>? fields = null;
        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                var root = json.RootElement;
                errorCode = root.TryGetProperty("errorCode", out var c) && c.TryGetInt32(out var n) ? n : null;
                title = root.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                fields = root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object ? e.EnumerateObject().Select(p => p.Name).ToList() : null;
            }
        }
        catch (JsonException)
        {
            // Not TRS's JSON (a proxy's page): the status says enough.
        }

        return TrsAnswer<T>.Refused(code, errorCode, title ?? (response.StatusCode == HttpStatusCode.ServiceUnavailable ? "Service Unavailable" : null), fields);
    }

    /// <summary>
    /// The typed client and its resilience: a total timeout, a few quick retries of transient failures (5xx, 408, 429,
    /// timeouts, connection errors; every call Register makes is idempotent: GET, PUT, and the POST of a TRN request whose
    /// repeat TRS answers with 409/10029), a circuit breaker, and each attempt's timeout. The pipeline runs on the system
    /// clock (a test's fake clock must not hold up a retry or a timeout).
    /// </summary>
    public static void AddTrsHttpClient(IServiceCollection services)
    {
        services.AddSingleton<TrsStatus>();
        services.AddHttpClient<TrsHttpClient>((sp, http) =>
            {
                var o = sp.GetRequiredService<IOptions<TrsOptions>>().Value;
                if (o.UsesHttp)
                {
                    http.BaseAddress = new Uri(o.BaseUrl!.TrimEnd('/') + "/");
                }

                // The pipeline's total timeout rules.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            // The factory's own log lines carry the URL (a TRN); the worker logs what it did instead.
            .RemoveAllLoggers()
            .AddResilienceHandler("trs", (builder, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<TrsOptions>>().Value;
                var status = context.ServiceProvider.GetRequiredService<TrsStatus>();
                builder.TimeProvider = TimeProvider.System;
                var attempt = o.AttemptTimeout;
                builder
                    .AddTimeout(attempt * (o.Retries + 1) + o.RetryDelay * Math.Pow(2, o.Retries + 1))
                    .AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = Math.Max(1, o.Retries),
                        Delay = o.RetryDelay,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        ShouldHandle = args => ValueTask.FromResult(o.Retries > 0 && Idempotent(args.Context.GetRequestMessage()) && Transient(args.Outcome)),
                    })
                    .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                    {
                        FailureRatio = 0.5,
                        MinimumThroughput = Math.Max(2, o.CircuitMinimumCalls),
                        SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, attempt.TotalSeconds * 2 + 1)),
                        BreakDuration = o.CircuitBreakDuration < TimeSpan.FromMilliseconds(500) ? TimeSpan.FromMilliseconds(500) : o.CircuitBreakDuration,
                        StateProvider = status.Circuit,
                        ShouldHandle = args => ValueTask.FromResult(Transient(args.Outcome)),
                    })
                    .AddTimeout(attempt);
            });
        services.AddHttpClient(TrsHealthCheck.ProbeClient).RemoveAllLoggers();
        services.AddSingleton<SimulatedTeachingRegulationService>();
        // Transient, as the typed client is (the factory rotates its handlers): the worker asks for one each batch.
        services.AddTransient<ITeachingRegulationService>(sp => sp.GetRequiredService<IOptions<TrsOptions>>().Value.UsesHttp
            ? sp.GetRequiredService<TrsHttpClient>()
            : sp.GetRequiredService<SimulatedTeachingRegulationService>());
    }

    /// <summary>GET, PUT, and TRS's TRN request POST (its id makes a repeat a 409/10029, not a second request).</summary>
    private static bool Idempotent(HttpRequestMessage? request) =>
        request is not null && (request.Method == HttpMethod.Get || request.Method == HttpMethod.Put
            || (request.Method == HttpMethod.Post && request.RequestUri?.OriginalString.Contains("trn-requests", StringComparison.Ordinal) == true));

    private static bool Transient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException or TimeoutRejectedException
        || outcome.Result is { } r && ((int)r.StatusCode >= 500 || r.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests);
}

/// <summary>What <c>/health/dependencies</c> says of TRS over HTTP: the last call's outcome and the circuit breaker's state.</summary>
internal sealed class TrsStatus(TimeProvider clock)
{
    private readonly Lock _lock = new();

    public CircuitBreakerStateProvider Circuit { get; } = new();

    public DateTimeOffset? LastCallAt { get; private set; }

    /// <summary>Null after a call TRS answered (even with a refusal of its own), else why it could not be reached.</summary>
    public string? LastFailure { get; private set; }

    public void Answered(int status)
    {
        lock (_lock)
        {
            (LastCallAt, LastFailure) = (clock.GetUtcNow(), null);
        }
    }

    public void Failed(string reason)
    {
        lock (_lock)
        {
            (LastCallAt, LastFailure) = (clock.GetUtcNow(), reason);
        }
    }

    public CircuitState CircuitState => Circuit.CircuitState;
}
