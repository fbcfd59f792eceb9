using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Register.BuildingBlocks.Database;

namespace Register.ActivityLog;

/// <summary>
/// The ActivityLog module: it records every <see cref="BuildingBlocks.Contracts.IRecordChanged"/> any module
/// publishes, and shows the global and per-provider timelines; it redacts the values of records whose personal data was
/// erased, and records support's reads of trainees' personal data (ADR 16).
/// </summary>
public static class ActivityLogModule
{
    internal const string Schema = "activity_log";

    public static IServiceCollection AddActivityLogModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleMigrations(Schema, typeof(ActivityLogModule).Assembly);
        services.AddSingleton<IAfterMigration, Features.RecordActivity.ProviderNamesBackfill>();
        return services;
    }
}
