using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.Extensions.Options;

namespace Register.Host;

/// <summary>
/// <c>Http:Proxies</c>: the load balancers and reverse proxies in front of Register. Only when some are configured are
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> read, and only from them: logs, rate limits and the sign-in limit
/// then see the client's address. <c>Http:RequireHttps</c> turns on HTTPS redirection and HSTS (docs/operations.md).
/// </summary>
internal sealed class ProxyOptions
{
    /// <summary>Addresses of trusted proxies, like <c>10.0.0.5</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies, like <c>10.0.0.0/8</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>How many proxies a request passes through (the entries of <c>X-Forwarded-For</c> read from the right).</summary>
    public int ForwardLimit { get; set; } = 1;

    public bool RequireHttps { get; set; }

    public int? HttpsPort { get; set; }

    public bool Configured => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}

internal static class Proxies
{
    /// <summary>Reads the settings when the app is built (the configuration is complete only then).</summary>
    public static IServiceCollection AddRegisterProxies(this IServiceCollection services)
    {
        services.AddOptions<ProxyOptions>().Configure<IConfiguration>((proxies, configuration) =>
        {
            configuration.GetSection("Http:Proxies").Bind(proxies);
            proxies.RequireHttps = configuration.GetValue("Http:RequireHttps", false);
            proxies.HttpsPort = configuration.GetValue<int?>("Http:HttpsPort");
        });
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((options, settings) =>
        {
            var proxies = settings.Value;
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.ForwardLimit = proxies.ForwardLimit;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var address in proxies.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(address));
            }

            foreach (var network in proxies.KnownNetworks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            options.IncludeSubDomains = true;
        });
        services.AddOptions<HttpsRedirectionOptions>().Configure<IOptions<ProxyOptions>>((options, proxies) => options.HttpsPort = proxies.Value.HttpsPort ?? 443);
        return services;
    }

    public static void UseRegisterProxies(this WebApplication app)
    {
        var proxies = app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value;
        if (proxies.Configured)
        {
            app.UseForwardedHeaders();
        }

        if (proxies.RequireHttps)
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }
    }
}
