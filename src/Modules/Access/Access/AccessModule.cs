using FluentValidation;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Register.Access.Contracts;
using Register.Access.Features.ApiTokens;
using Register.Access.Features.ApiUsage;
using Register.Access.Features.SignIn;
using Register.Access.Features.Users;
using Register.Access.Tokens;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Outbox;
using Register.BuildingBlocks.Security;

namespace Register.Access;

/// <summary>
/// The Access module: API clients and their tokens, the authentication of every API, and the people who sign in to
/// the pages (support users and API users), their sessions and sign-in. Each audience
/// is an authentication scheme and an authorization policy of the same name, which <c>MapApi</c> requires.
/// </summary>
public static class AccessModule
{
    internal const string Schema = "access";

    public static IServiceCollection AddAccessModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleMigrations(Schema, typeof(AccessModule).Assembly);
        services.AddModuleOutbox(Schema, typeof(ApiClientChanged).Assembly);
        services.AddValidatorsFromAssembly(typeof(AccessModule).Assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddSingleton<TokenHasher>();
        services.AddSingleton<ApiTokenCache>();
        services.AddHostedService<TokenHasherCheck>();

        var authentication = services.AddAuthentication();
        foreach (var audience in ApiAudiences.All)
        {
            authentication.AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(audience, null);
        }

        services.AddAuthorization(options =>
        {
            foreach (var audience in ApiAudiences.All)
            {
                options.AddPolicy(audience, policy => policy.AddAuthenticationSchemes(audience).RequireAuthenticatedUser());
            }
        });

        services.AddWebSignIn(authentication);
        services.AddOptions<ApiUsageOptions>().BindConfiguration("ApiUsage");
        services.AddSingleton<ApiUsageRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiUsageRecorder>());
        services.AddHostedService<ApiUsagePruneJob>();
        services.AddSingleton<TokenExpiryNotices>();
        services.AddHostedService(sp => sp.GetRequiredService<TokenExpiryNotices>());
        services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, ApiUsageStartupFilter>();
        services.AddOptions<UserOptions>().BindConfiguration("Users");
        services.AddSingleton<UserDraftValidator>();
        services.AddSingleton<Features.ProviderUsers.Invitations>();
        return services;
    }

    /// <summary>Fails startup, not the first request, when the token hash key is missing or too short.</summary>
    private sealed class TokenHasherCheck(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            services.GetRequiredService<TokenHasher>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
