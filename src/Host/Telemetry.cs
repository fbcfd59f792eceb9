using System.Diagnostics;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Telemetry;

namespace Register.Host;

/// <summary>
/// OpenTelemetry: traces (ASP.NET Core, outgoing HTTP, Npgsql) and metrics (the same, the .NET runtime, and Register's own
/// meter, <see cref="RegisterMetrics"/>); OTLP export when <c>Telemetry:OtlpEndpoint</c> or <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// is set; a Prometheus scrape endpoint, <c>/metrics</c>, on the management address <c>Telemetry:MetricsUrl</c> only.
/// <c>Telemetry:Enabled=false</c> turns all of it off. See docs/operations.md.
/// </summary>
internal static partial class Telemetry
{
    public static void AddRegisterTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddRegisterMetrics();
        var settings = builder.Configuration.GetSection("Telemetry").Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (!settings.Enabled)
        {
            return;
        }

        var otlp = settings.OtlpEndpoint ?? builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var managementPort = settings.MetricsUrl is { } url ? BindingAddress.Parse(url).Port : (int?)null;
        var version = typeof(Telemetry).Assembly.GetName().Version?.ToString();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("register", serviceVersion: version))
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation(o => o.Filter = context => context.Connection.LocalPort != managementPort)
                    .AddHttpClientInstrumentation()
                    .AddNpgsql()
                    .AddProcessor(new RedactingProcessor());
                if (!string.IsNullOrWhiteSpace(otlp))
                {
                    tracing.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation()
                    .AddMeter(RegisterMetrics.MeterName);
                if (managementPort is not null)
                {
                    // No cache: a scrape shows the counts as they are (Prometheus scrapes every 15 s or so; a scrape is cheap).
                    metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
                }

                if (!string.IsNullOrWhiteSpace(otlp))
                {
                    metrics.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
                }
            });

        // After the web pages' own wrapper (AddRegisterWeb), so a refused page is counted as a refused API call is.
        builder.Services.PostConfigure<RateLimiterOptions>(o =>
        {
            if (o.GlobalLimiter is { } global)
            {
                o.GlobalLimiter = new MarkingGlobalLimiter(global);
            }

            var inner = o.OnRejected;
            o.OnRejected = (rejected, ct) =>
            {
                var http = rejected.HttpContext;
                var policy = http.Items.ContainsKey(MarkingGlobalLimiter.Refused)
                    ? BuildingBlocks.Http.RateLimits.PerIp
                    : http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName ?? "unknown";
                http.RequestServices.GetRequiredService<RegisterMetrics>().RateLimitRejected(policy);
                return inner?.Invoke(rejected, ct) ?? ValueTask.CompletedTask;
            };
        });
    }

    /// <summary>
    /// First in the pipeline: the scrape endpoint on the management address (and nothing else there: any other path on it is
    /// a 404, and <c>/metrics</c> is a 404 on the public addresses), then the count of every request by API, client and status.
    /// </summary>
    public static void UseRegisterTelemetry(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        if (!settings.Enabled)
        {
            return;
        }

        if (settings.MetricsUrl is { } url)
        {
            var port = ListenAlsoOn(app, url);
            app.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Connection.LocalPort == port && context.Request.Path == "/metrics");
            app.Use((context, next) =>
            {
                if (context.Connection.LocalPort != port)
                {
                    return next(context);
                }

                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        }

        var metrics = app.Services.GetRequiredService<RegisterMetrics>();
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            finally
            {
                metrics.Request(ApiOf(context), context.User.FindFirst(Caller.ClientNameClaim)?.Value ?? "anonymous", context.Response.StatusCode);
            }
        });
    }

    /// <summary>
    /// The API a request belongs to: its endpoint's OpenAPI document (<c>trainees-v2026.1</c>, <c>support</c>...), or for a
    /// request no endpoint took, the API whose path it is under; <c>other</c> for the rest (pages, health, assets).
    /// Bounded: never a value taken from the request itself.
    /// </summary>
    private static string ApiOf(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IEndpointGroupNameMetadata>()?.EndpointGroupName is { } group)
        {
            return group;
        }

        var path = context.Request.Path.Value ?? "";
        foreach (var api in ApiDefinition.All)
        {
            if (path.StartsWith(api.PathPrefix, StringComparison.OrdinalIgnoreCase)
                && (path.Length == api.PathPrefix.Length || path[api.PathPrefix.Length] == '/'))
            {
                return api.OpenApiDocument;
            }
        }

        return "other";
    }

    /// <summary>
    /// Kestrel listens on the management address as well as the public ones (<c>--urls</c>, <c>ASPNETCORE_URLS</c>,
    /// <c>HTTP_PORTS</c>, or its default), which are added here first because an address set in code replaces them.
    /// Returns the management port. Under a server with no addresses (the tests' in-memory server) nothing listens.
    /// </summary>
    private static int ListenAlsoOn(WebApplication app, string url)
    {
        var port = BindingAddress.Parse(url).Port;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
        if (addresses is null || addresses.Addresses.IsReadOnly)
        {
            return port;
        }

        if (addresses.Addresses.Count == 0)
        {
            foreach (var address in PublicUrls(app.Configuration))
            {
                addresses.Addresses.Add(address);
            }
        }

        addresses.Addresses.Add(url);
        return port;
    }

    private static IEnumerable<string> PublicUrls(IConfiguration configuration)
    {
        if (configuration["urls"] is { Length: > 0 } urls)
        {
            return urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        var ports = Ports(configuration["http_ports"], "http").Concat(Ports(configuration["https_ports"], "https")).ToList();
        return ports.Count > 0 ? ports : ["http://localhost:5000"];

        static IEnumerable<string> Ports(string? value, string scheme) =>
            (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"{scheme}://*:{p}");
    }

    /// <summary>Marks a request the global (per address) limiter refused, so the rejection is counted under <c>per_ip</c>.</summary>
    private sealed class MarkingGlobalLimiter(PartitionedRateLimiter<HttpContext> inner) : PartitionedRateLimiter<HttpContext>
    {
        public static readonly object Refused = new();

        public override RateLimiterStatistics? GetStatistics(HttpContext resource) => inner.GetStatistics(resource);

        protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount) =>
            Mark(resource, inner.AttemptAcquire(resource, permitCount));

        protected override async ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken) =>
            Mark(resource, await inner.AcquireAsync(resource, permitCount, cancellationToken));

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private static RateLimitLease Mark(HttpContext resource, RateLimitLease lease)
        {
            if (!lease.IsAcquired)
            {
                resource.Items[Refused] = true;
            }

            return lease;
        }
    }

    /// <summary>
    /// Keeps personal data and secrets out of every span before it is exported: the TRS API's paths name a person
    /// (<c>/v3/persons/{trn}/routes-to-professional-statuses/{reference}</c>, <c>/v3/trn-requests?requestId=</c>), so an
    /// outgoing call's <c>url.full</c> keeps its scheme, host and the fixed words of its path only, with each identifier
    /// replaced and no query; so does every span's <c>url.path</c> (the route, <c>http.route</c>, names the endpoint), and no
    /// span keeps a query. No span records a header (so no Authorization).
    /// </summary>
    internal sealed partial class RedactingProcessor : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            if (data.GetTagItem("url.full") is string full)
            {
                data.SetTag("url.full", RedactUrl(full));
            }

            if (data.GetTagItem("url.query") is not null)
            {
                data.SetTag("url.query", null);
            }

            if (data.GetTagItem("url.path") is string path)
            {
                data.SetTag("url.path", RedactPath(path));
            }
        }

        /// <summary>The address without its query, and its path redacted (<see cref="RedactPath"/>).</summary>
        public static string RedactUrl(string url) =>
            Uri.TryCreate(url, UriKind.Absolute, out var uri)
                ? uri.GetLeftPart(UriPartial.Authority) + RedactPath(uri.AbsolutePath)
                : "{redacted}";

        /// <summary>Each segment after <c>persons</c>, <c>routes-to-professional-statuses</c> or <c>trn-requests</c>, and any that is not a plain word, becomes <c>{id}</c>.</summary>
        public static string RedactPath(string path)
        {
            var segments = path.Split('/');
            for (var i = 0; i < segments.Length; i++)
            {
                var named = i > 0 && segments[i - 1] is "persons" or "routes-to-professional-statuses" or "trn-requests";
                if (segments[i].Length > 0 && (named || !PlainSegment().IsMatch(segments[i])))
                {
                    segments[i] = "{id}";
                }
            }

            return string.Join('/', segments);
        }

        [System.Text.RegularExpressions.GeneratedRegex("^(?:[A-Za-z-]+|v[0-9.]+)$")]
        private static partial System.Text.RegularExpressions.Regex PlainSegment();
    }
}
