using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;

namespace Register.Host;

internal static class Endpoints
{
    /// <summary>What the Host serves itself: health checks, OpenAPI, the release notes and the support API's 404 for unknown paths.</summary>
    public static void MapRegisterEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealthAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteHealthAsync });
        // What Register depends on but runs without for a while (TRS, the email sender): always 200, each one healthy or degraded.
        app.MapHealthChecks("/health/dependencies", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(DependencyHealth.Tag),
            ResponseWriter = WriteHealthAsync,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status200OK,
            },
        });
        app.MapRegisterOpenApi();
        app.MapReleaseNotes();
    }

    /// <summary>A check's status and description, and its data when it has some (the dependencies' client, circuit, last call).</summary>
    private static Dictionary<string, object?> Check(HealthReportEntry entry)
    {
        var check = new Dictionary<string, object?> { ["status"] = entry.Status.ToString().ToLowerInvariant(), ["description"] = entry.Description };
        if (entry.Data.Count > 0)
        {
            check["data"] = entry.Data;
        }

        return check;
    }

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.ToDictionary(e => e.Key, e => Check(e.Value)),
        }, RegisterJson.Options));
    }
}
