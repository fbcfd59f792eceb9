using FluentValidation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Register.BuildingBlocks.Database;

namespace Register.Providers;

/// <summary>The Providers module: the register of training providers and its read-only providers API.</summary>
public static class ProvidersModule
{
    internal const string Schema = "providers";

    public static IServiceCollection AddProvidersModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleMigrations(Schema, typeof(ProvidersModule).Assembly);
        services.AddValidatorsFromAssembly(typeof(ProvidersModule).Assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        return services;
    }
}
