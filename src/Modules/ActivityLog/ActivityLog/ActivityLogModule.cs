using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Register.ActivityLog.Features.PersonalData;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Outbox;

namespace Register.ActivityLog;

/// <summary>
/// The ActivityLog module: it records every <see cref="BuildingBlocks.Contracts.IRecordChanged"/> any module
/// publishes, and shows the global and per-provider timelines; it redacts the values of records whose personal data was
/// erased, ages their items out, and records support's reads of trainees' personal data (ADR 16).
/// </summary>
public static class ActivityLogModule
{
    internal const string Schema = "activity_log";

    public static IServiceCollection AddActivityLogModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleMigrations(Schema, typeof(ActivityLogModule).Assembly);
        services.AddSingleton<IAfterMigration, Features.RecordActivity.ProviderNamesBackfill>();
        services.AddSingleton<IIntegrationEventBatchConsumer, Features.RecordActivity.RecordChangedHandler>();
        services.AddSingleton<IIntegrationEventBatchConsumer, Features.RecordActivity.ProviderNamesHandler>();
        services.AddOptions<PersonalDataOptions>().BindConfiguration("PersonalData")
            .Validate(o => o.ErasedActivityRetentionDays is >= 1 and <= 36_500, "PersonalData:ErasedActivityRetentionDays must be a whole number of days from 1 to 36500")
            .ValidateOnStart();
        services.AddSingleton<ErasedActivityRetentionJob>();
        services.AddHostedService(sp => sp.GetRequiredService<ErasedActivityRetentionJob>());
        return services;
    }
}
