using FluentValidation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Outbox;
using Register.Trainees.Api;
using Register.Trainees.Contracts;
using Register.Trainees.Features.Trs;
using Register.Trainees.Features.Uploads;

namespace Register.Trainees;

/// <summary>The Trainees module: the Register API that SRS vendors call, in every supported version.</summary>
public static class TraineesModule
{
    internal const string Schema = "trainees";

    public static IServiceCollection AddTraineesModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleMigrations(Schema, typeof(TraineesModule).Assembly);
        services.AddModuleOutbox(Schema, typeof(TraineeChanged).Assembly);
        // The support API's bodies (the trainee API checks its own, with the reference's rules and messages).
        services.AddValidatorsFromAssembly(typeof(TraineesModule).Assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddSingleton<IAfterMigration, Domain.KnownOrganisationsBackfill>();
        services.AddSingleton<Domain.KnownProviderCache>();
        services.AddSingleton<BuildingBlocks.Outbox.IIntegrationEventBatchConsumer, Domain.KnownProvidersHandler>();
        services.AddOptions<TrsOptions>().BindConfiguration("Trs").PostConfigure<IConfiguration>(TrsOptions.InSandbox);
        TrsHttpClient.AddTrsHttpClient(services);
        services.AddHealthChecks().AddCheck<TrsHealthCheck>("trs", tags: [DependencyHealth.Tag]);
        services.AddSingleton<TrsWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<TrsWorker>());
        services.AddSingleton<BuildingBlocks.Telemetry.IGaugeSource, TrsQueueGauges>();
        services.AddOptions<UploadOptions>().BindConfiguration("Uploads");
        services.AddSingleton<UploadWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<UploadWorker>());
        services.AddTraineeOpenApi();
        return services;
    }
}
