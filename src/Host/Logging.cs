using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Security;
using Serilog;
using Serilog.Formatting.Compact;

namespace Register.Host;

internal static class Logging
{
    /// <summary>
    /// Serilog: readable lines in Development, one JSON object a line elsewhere; levels from <c>Serilog</c> in configuration.
    /// Every event logged while a request (or any traced work) runs carries its trace and span ids (<c>@tr</c>, <c>@sp</c> in
    /// the JSON; the trace id at the end of a Development line), the trace a caller's <c>traceparent</c> header started.
    /// </summary>
    public static void AddRegisterLogging(this WebApplicationBuilder builder)
    {
        var development = builder.Environment.IsDevelopment();
        // Each host keeps its own logger (never the static Log.Logger), so hosts side by side in one process (the tests') never write to each other's sinks.
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.ReadFrom.Configuration(builder.Configuration)
                .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.Extensions.Diagnostics.HealthChecks", Serilog.Events.LogEventLevel.Fatal)
                .MinimumLevel.Override("Microsoft.AspNetCore.DataProtection", Serilog.Events.LogEventLevel.Error)
                .MinimumLevel.Override("Npgsql", Serilog.Events.LogEventLevel.Warning)
                .Enrich.FromLogContext()
                // An outage is logged once, as a warning, by the outage monitor (and the start-up's "Waiting for PostgreSQL"):
                // the same outage seen by Npgsql's connection handling or the data protection key ring is not logged again.
                .Filter.ByExcluding(e => e.Exception is not null && DatabaseOutage.IsOutage(e.Exception)
                    && e.Properties.TryGetValue("SourceContext", out var source) && source.ToString().Trim('"') is var name
                    && (name.StartsWith("Npgsql", StringComparison.Ordinal) || name.StartsWith("Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal)));

            // Extra sinks registered in DI (the tests' capture of log events, or an operator's) also get every event.
            foreach (var sink in services.GetServices<Serilog.Core.ILogEventSink>())
            {
                logger.WriteTo.Sink(sink);
            }
            if (development)
            {
                logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {Properties:j} {TraceId}{NewLine}{Exception}", formatProvider: System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                logger.WriteTo.Console(new RenderedCompactJsonFormatter());
            }
        }, preserveStaticLogger: true);
    }

    /// <summary>
    /// One line a request: method, path, status, elapsed time, request id, the calling client's name (never its token) and
    /// the client's address (behind a configured proxy, the address it forwarded).
    /// </summary>
    public static void UseRegisterRequestLogging(this WebApplication app) =>
        app.UseSerilogRequestLogging(options =>
        {
            options.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms for {Caller} (request {RequestId})";
            // A 503 is the service saying it is unavailable (the database is down, logged once as a warning by the
            // outage monitor, or the readiness check), not an error of the request: logged as information.
            options.GetLevel = (http, _, exception) => exception is not null || http.Response.StatusCode is >= 500 and not 503
                ? Serilog.Events.LogEventLevel.Error
                : Serilog.Events.LogEventLevel.Information;
            options.EnrichDiagnosticContext = (diagnostics, http) =>
            {
                diagnostics.Set("RequestId", http.TraceIdentifier);
                diagnostics.Set("Caller", Caller.From(http.User)?.ClientName ?? "anonymous");
                diagnostics.Set("ClientAddress", http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            };
        });
}
