using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Outbox;
using Register.Partnerships.Contracts;

namespace Register.Partnerships;

/// <summary>The Partnerships module: provider partnerships, and the lead provider API.</summary>
public static class PartnershipsModule
{
    internal const string Schema = "partnerships";

    public static IServiceCollection AddPartnershipsModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleMigrations(Schema, typeof(PartnershipsModule).Assembly);
        services.AddModuleOutbox(Schema, typeof(PartnershipChanged).Assembly);
        services.AddSingleton<IAfterMigration, Domain.PartnerProvidersBackfill>();
        services.AddSingleton<BuildingBlocks.Outbox.IIntegrationEventBatchConsumer, Domain.PartnerProvidersHandler>();
        services.AddHostedService<Features.LeadProviderApi.ParticipantsTrainingTouchJob>();
        return services;
    }
}
