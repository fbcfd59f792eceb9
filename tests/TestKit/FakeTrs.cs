using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Register.TestKit;

/// <summary>
/// A fake Teaching Regulation Service over real HTTP (Kestrel on a free port of 127.0.0.1) for the TRS client's tests: the
/// calls Register makes at API version 20250627, with TRS's status codes and ProblemDetails bodies
/// (<c>{title, detail, status, errorCode}</c>) and its rules (a reused TRN request id is 409/10029, an unknown one 404/10031,
/// an unknown TRN 404/10001, a route that already Holds 400/10052). It checks the headers (a wrong key is 401, a missing or
/// wrong <c>X-Api-Version</c> 404, a body without TRS's JSON content type 415), records every request, and can be scripted:
/// one-off answers (<see cref="Answer"/>), TRN requests left Pending (<see cref="CompleteTrnRequests"/>), slow answers
/// (<see cref="Delay"/>), and outages (<see cref="Unavailable"/>: 503; <see cref="DropConnections"/>: the connection cut).
/// </summary>
public sealed class FakeTrs : IAsyncDisposable
{
    public const string ApiKey = "fake-trs-api-key-0123456789";
    public const string ApiVersion = "20250627";

    private static int _nextTrn = 3000000 + Random.Shared.Next(0, 900000);
    private readonly WebApplication _app;
    private readonly List<Scripted> _script = [];
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TrnRequest> _trnRequests = [];
    private readonly HashSet<string> _persons = [];
    private readonly Dictionary<(string Trn, string Reference), string> _routes = [];

    private FakeTrs(WebApplication app)
    {
        _app = app;
        app.Run(HandleAsync);
    }

    public string BaseUrl { get; private set; } = "";

    /// <summary>Every request, in the order they came.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>False: a new TRN request stays Pending (with <see cref="PotentialDuplicate"/>) until <see cref="Complete"/>.</summary>
    public bool CompleteTrnRequests { get; set; } = true;

    public bool PotentialDuplicate { get; set; }

    /// <summary>Every request answers 503 with a ProblemDetails (TRS's rate limiter's status).</summary>
    public bool Unavailable { get; set; }

    /// <summary>Every request's connection is cut before an answer.</summary>
    public bool DropConnections { get; set; }

    /// <summary>How long each answer waits.</summary>
    public TimeSpan Delay { get; set; }

    public static async Task<FakeTrs> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var fake = new FakeTrs(builder.Build());
        await fake._app.StartAsync();
        fake.BaseUrl = fake._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return fake;
    }

    /// <summary>The settings that point Register at this server, with retries and timeouts short enough for tests.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Trs:BaseUrl"] = BaseUrl,
        ["Trs:ApiKey"] = ApiKey,
        ["Trs:AttemptTimeout"] = "00:00:01",
        ["Trs:RetryDelay"] = "00:00:00.050",
        ["Trs:CircuitBreakDuration"] = "00:00:00.500",
        ["Trs:CircuitMinimumCalls"] = "10",
    };

    /// <summary>The next request whose method and path (its start) match gets this answer instead of TRS's own.</summary>
    public void Answer(string method, string pathStart, int status, object? body = null, int times = 1)
    {
        lock (_lock)
        {
            for (var i = 0; i < times; i++)
            {
                _script.Add(new Scripted(method, pathStart, status, body));
            }
        }
    }

    /// <summary>TRS's staff resolve a pending TRN request: it is Completed with a new TRN, which is returned.</summary>
    public string Complete(string requestId)
    {
        lock (_lock)
        {
            var trn = NewTrn();
            _trnRequests[requestId] = _trnRequests[requestId] with { Trn = trn, Status = "Completed" };
            return trn;
        }
    }

    /// <summary>A person TRS already has (a TRN given outside the tests' requests).</summary>
    public string AddPerson()
    {
        lock (_lock)
        {
            return NewTrn();
        }
    }

    public IReadOnlyList<RecordedRequest> Calls(string method, string pathStart) =>
        Requests.Where(r => r.Method == method && r.Path.StartsWith(pathStart, StringComparison.Ordinal)).ToList();

    public string? RouteStatus(string trn, string reference)
    {
        lock (_lock)
        {
            return _routes.GetValueOrDefault((trn, reference));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private string NewTrn()
    {
        var trn = Interlocked.Increment(ref _nextTrn).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _persons.Add(trn);
        return trn;
    }

    private async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        var body = await new StreamReader(request.Body).ReadToEndAsync();
        var recorded = new RecordedRequest(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "",
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body);
        Requests.Enqueue(recorded);
        if (Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(Delay, http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        if (DropConnections)
        {
            http.Abort();
            return;
        }

        var (status, answer) = Unavailable ? (503, Problem(503, "Service Unavailable", null)) : Decide(recorded);
        http.Response.StatusCode = status;
        if (answer is not null)
        {
            http.Response.ContentType = status >= 400 ? "application/problem+json" : "application/json; charset=utf-8";
            await http.Response.WriteAsync(JsonSerializer.Serialize(answer, JsonSerializerOptions.Web));
        }
    }

    private (int Status, object? Body) Decide(RecordedRequest r)
    {
        if (r.Header("Authorization") != $"Bearer {ApiKey}")
        {
            return (401, null);
        }

        if (r.Header("X-Api-Version") != ApiVersion)
        {
            return (404, null);
        }

        if (r.Header("Accept") != "application/json" || (r.Body.Length > 0 && r.Header("Content-Type") != "application/json;odata.metadata=minimal"))
        {
            return (415, Problem(415, "Unsupported Media Type", null));
        }

        lock (_lock)
        {
            var scripted = _script.FirstOrDefault(s => s.Method == r.Method && r.Path.StartsWith(s.PathStart, StringComparison.Ordinal));
            if (scripted is not null)
            {
                _script.Remove(scripted);
                return (scripted.Status, scripted.Body);
            }

            return Trs(r);
        }
    }

    private (int Status, object? Body) Trs(RecordedRequest r)
    {
        var segments = r.Path.Trim('/').Split('/');
        switch (r.Method, segments)
        {
            case ("POST", ["v3", "trn-requests"]):
                {
                    var requestId = r.Json.GetProperty("requestId").GetString()!;
                    if (_trnRequests.ContainsKey(requestId))
                    {
                        return (409, Problem(409, "TRN request has already been created.", 10029));
                    }

                    var created = CompleteTrnRequests
                        ? new TrnRequest(requestId, "Completed", NewTrn(), false)
                        : new TrnRequest(requestId, "Pending", null, PotentialDuplicate);
                    _trnRequests[requestId] = created;
                    return (200, created.Answer);
                }

            case ("GET", ["v3", "trn-requests"]):
                {
                    var requestId = System.Web.HttpUtility.ParseQueryString(r.Query)["requestId"] ?? "";
                    return _trnRequests.TryGetValue(requestId, out var found)
                        ? found.Status == "Rejected" ? (400, Problem(400, "TRN request has been rejected.", 10062)) : (200, found.Answer)
                        : (404, Problem(404, "TRN request does not exist.", 10031));
                }

            case ("PUT", ["v3", "persons", var trn]):
                return _persons.Contains(trn) ? (204, null) : (404, Problem(404, "Person not found.", 10001));

            case ("PUT", ["v3", "persons", var trn, "routes-to-professional-statuses", var reference]):
                {
                    if (!_persons.Contains(trn))
                    {
                        return (404, Problem(404, "Person not found.", 10001));
                    }

                    if (_routes.GetValueOrDefault((trn, reference)) == "Holds")
                    {
                        return (400, Problem(400, "Route to professional status already awarded.", 10052));
                    }

                    _routes[(trn, reference)] = r.Json.GetProperty("status").GetString()!;
                    return (204, null);
                }

            case ("GET", ["v3", "persons", var trn]):
                return _persons.Contains(trn) ? (200, new { trn, firstName = "Fake", lastName = "Person" }) : (404, Problem(404, "Person not found.", 10001));

            default:
                return (404, null);
        }
    }

    /// <summary>Rejects a pending TRN request (TRS's staff found it is not a new teacher): polls get 400/10062.</summary>
    public void Reject(string requestId)
    {
        lock (_lock)
        {
            _trnRequests[requestId] = _trnRequests[requestId] with { Status = "Rejected" };
        }
    }

    public static object Problem(int status, string title, int? errorCode) => errorCode is null
        ? new { title, status }
        : new { title, detail = (string?)null, status, errorCode };

    private sealed record Scripted(string Method, string PathStart, int Status, object? Body);

    private sealed record TrnRequest(string RequestId, string Status, string? Trn, bool PotentialDuplicate)
    {
        public object Answer => new { requestId = RequestId, status = Status, trn = Trn, potentialDuplicate = PotentialDuplicate, accessYourTeachingQualificationsLink = (string?)null };
    }
}

/// <summary>A request the fake TRS received: its headers and body as sent.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}
