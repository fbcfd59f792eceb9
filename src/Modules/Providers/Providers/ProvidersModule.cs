using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Outbox;
using Register.Providers.Contracts;
using Register.Providers.Features.AccreditationStatusSync;

namespace Register.Providers;

/// <summary>The Providers module: the register of training providers, its support API and the read-only providers API.</summary>
public static class ProvidersModule
{
    internal const string Schema = "providers";

    public static IServiceCollection AddProvidersModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleMigrations(Schema, typeof(ProvidersModule).Assembly);
        services.AddModuleOutbox(Schema, typeof(ProviderChanged).Assembly);
        services.AddSingleton<AccreditationStatusSyncJob>();
        services.AddHostedService(sp => sp.GetRequiredService<AccreditationStatusSyncJob>());
        return services;
    }
}
