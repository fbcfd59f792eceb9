using System.Diagnostics.Metrics;

namespace Register.BuildingBlocks.Telemetry;

/// <summary>
/// Register's own instruments, on one meter named <c>Register</c> (made through <see cref="IMeterFactory"/>, so each host has
/// its own): counters that the code adds to as things happen, and gauges read from the last <see cref="GaugeSampler"/> sample.
/// Counters are added to after the change they count has committed, never for work rolled back. Tags are few and bounded
/// (no ids, no personal data): an API client's name is the most varied, one value per client. Names follow OpenTelemetry's
/// conventions; Prometheus shows them with dots as underscores (<c>register_api_requests_total</c>). See docs/operations.md.
/// </summary>
public sealed class RegisterMetrics
{
    public const string MeterName = "Register";

    public const string TrsPending = "register.trs.requests.pending";
    public const string TrsOldestAge = "register.trs.requests.oldest_age";
    public const string OutboxBacklog = "register.outbox.backlog";
    public const string OutboxOldestAge = "register.outbox.oldest_age";

    // Boxed once: a status code as a tag on every request would otherwise box an int each time.
    private static readonly object[] StatusCodes = [.. Enumerable.Range(0, 600).Select(s => (object)s)];

    private readonly Counter<long> _requests;
    private readonly Counter<long> _traineesCreated;
    private readonly Counter<long> _uploads;
    private readonly Counter<long> _uploadRows;
    private readonly Counter<long> _rateLimitRejections;
    private readonly Counter<long> _signIns;
    private volatile IReadOnlyList<GaugeReading> _readings = [];

    public RegisterMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _requests = meter.CreateCounter<long>("register.api.requests", "{request}",
            "HTTP requests answered, by API (its OpenAPI document, or pages/other), API client (or anonymous) and status code");
        _traineesCreated = meter.CreateCounter<long>("register.trainees.created", "{trainee}",
            "Trainees created, by source: api (POST /trainees), csv (an upload made with an API token), web (an upload made in the pages)");
        _uploads = meter.CreateCounter<long>("register.uploads", "{upload}",
            "CSV uploads that reached an outcome (validated, failed, submitted: its trainees were made, cancelled), by outcome and source (csv or web)");
        _uploadRows = meter.CreateCounter<long>("register.upload.rows", "{row}",
            "The rows of the uploads counted in register.uploads, by the same outcome and source");
        _rateLimitRejections = meter.CreateCounter<long>("register.rate_limit.rejections", "{request}",
            "Requests refused with 429 by a rate limit, by policy (an API audience, or per_ip for the limit every address has)");
        _signIns = meter.CreateCounter<long>("register.sign_ins", "{sign_in}",
            "Sign-ins to the pages, by method (password, link, oidc) and outcome (succeeded, refused, unauthorised)");
        meter.CreateObservableGauge(TrsPending, () => Observe(TrsPending), "{request}",
            "Requests to TRS not done yet and not refused for good, by kind (sampled)");
        meter.CreateObservableGauge(TrsOldestAge, () => Observe(TrsOldestAge), "s",
            "Age of the oldest request to TRS not done yet, by kind (sampled; 0 when none)");
        meter.CreateObservableGauge(OutboxBacklog, () => Observe(OutboxBacklog), "{event}",
            "Notifications in a module's outbox not yet delivered, by module (sampled)");
        meter.CreateObservableGauge(OutboxOldestAge, () => Observe(OutboxOldestAge), "s",
            "Age of the oldest notification not yet delivered, by module (sampled; 0 when none)");
    }

    public void Request(string api, string client, int status) =>
        _requests.Add(1,
            new KeyValuePair<string, object?>("api", api),
            new KeyValuePair<string, object?>("client", client),
            new KeyValuePair<string, object?>("status", status is >= 0 and < 600 ? StatusCodes[status] : status));

    /// <summary>Call after the trainees' transaction committed.</summary>
    public void TraineesCreated(string source, int count)
    {
        if (count > 0)
        {
            _traineesCreated.Add(count, new KeyValuePair<string, object?>("source", source));
        }
    }

    /// <summary>Call after the upload's new status committed.</summary>
    public void Upload(string outcome, string source, int rows)
    {
        var outcomeTag = new KeyValuePair<string, object?>("outcome", outcome);
        var sourceTag = new KeyValuePair<string, object?>("source", source);
        _uploads.Add(1, outcomeTag, sourceTag);
        _uploadRows.Add(rows, outcomeTag, sourceTag);
    }

    public void RateLimitRejected(string policy) => _rateLimitRejections.Add(1, new KeyValuePair<string, object?>("policy", policy));

    /// <summary>Call once the sign-in's session (or the refusal's count) is written.</summary>
    public void SignIn(string method, string outcome) =>
        _signIns.Add(1, new KeyValuePair<string, object?>("method", method), new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>The gauges' values from now on (the sampler's latest readings).</summary>
    internal void Publish(IReadOnlyList<GaugeReading> readings) => _readings = readings;

    private IEnumerable<Measurement<double>> Observe(string instrument)
    {
        foreach (var reading in _readings)
        {
            if (reading.Instrument == instrument)
            {
                yield return new Measurement<double>(reading.Value, new KeyValuePair<string, object?>(reading.TagName, reading.TagValue));
            }
        }
    }
}

/// <summary>One value of a sampled gauge: <see cref="RegisterMetrics.TrsPending"/> for <c>kind</c> = <c>trn</c>, say.</summary>
public sealed record GaugeReading(string Instrument, string TagName, string TagValue, double Value);

/// <summary>
/// What a module measures in the database for the sampled gauges (the TRS queue, say). Run by <see cref="GaugeSampler"/>
/// every <c>Telemetry:SampleInterval</c>, never at scrape time: a scrape reads the last sample.
/// </summary>
public interface IGaugeSource
{
    Task<IReadOnlyList<GaugeReading>> ReadAsync(Npgsql.NpgsqlConnection connection, CancellationToken ct);
}
