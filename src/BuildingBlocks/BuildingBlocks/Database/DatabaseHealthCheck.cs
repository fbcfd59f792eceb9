using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Register.BuildingBlocks.Database;

/// <summary>Ready when the database answers and every module's migrations have run.</summary>
internal sealed class DatabaseHealthCheck(RegisterDatabase database, DatabaseOutageMonitor outage, IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!database.IsMigrated)
        {
            return HealthCheckResult.Unhealthy("Migrations have not finished.");
        }

        try
        {
            // Resolved here, not in the constructor: the data source exists only once the database is prepared.
            var dataSource = (NpgsqlDataSource)services.GetService(typeof(NpgsqlDataSource))!;
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            outage.ReportSuccess();
            return HealthCheckResult.Healthy("Database reachable; migrations done.");
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            if (DatabaseOutage.IsOutage(ex))
            {
                outage.ReportFailure(ex, "the readiness check");
            }

            return HealthCheckResult.Unhealthy("Database unreachable.", ex);
        }
    }
}
