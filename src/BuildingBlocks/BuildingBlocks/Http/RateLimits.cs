using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Register.BuildingBlocks.Security;

namespace Register.BuildingBlocks.Http;

/// <summary>
/// The limits of one API: requests with a bearer token count per token, the others per IP address. Counted in this
/// process's memory: with N instances behind a load balancer a client may get up to N times the rate (docs/operations.md, ADR 15).
/// </summary>
public sealed class ApiRateLimit
{
    public int TokenPermitLimit { get; set; } = 300;

    public int AnonymousPermitLimit { get; set; } = 100;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

public static class RateLimits
{
    /// <summary>The limit every address has across all APIs (<c>RateLimits:per_ip:AnonymousPermitLimit</c>, 1,200 a minute by default).</summary>
    public const string PerIp = "per_ip";

    /// <summary>
    /// One rate-limit policy per API audience, configured under <c>RateLimits:&lt;audience&gt;</c>. The
    /// defaults follow the reference services: 300 a minute per token and 100 a minute per IP, and for the
    /// lead provider API 1,000 per five minutes per token. A refused request gets 429 with Retry-After.
    /// </summary>
    public static IServiceCollection AddApiRateLimits(this IServiceCollection services)
    {
        foreach (var audience in ApiAudiences.All)
        {
            services.AddOptions<ApiRateLimit>(audience)
                .Configure(limit =>
                {
                    if (audience == ApiAudiences.LeadProviderApi)
                    {
                        limit.TokenPermitLimit = 1000;
                        limit.AnonymousPermitLimit = 300;
                        limit.Window = TimeSpan.FromMinutes(5);
                    }
                })
                .BindConfiguration($"RateLimits:{audience}");
        }

        services.AddOptions<ApiRateLimit>(PerIp)
            .Configure(limit => limit.AnonymousPermitLimit = 1200)
            .BindConfiguration("RateLimits:per_ip");

        services.AddOptions<FailedTokenLimit>().BindConfiguration("RateLimits:FailedTokens");
        services.AddSingleton<TokenFailures>();
        services.AddRateLimiter(options =>
        {
            // Every request from an address counts here, so made-up tokens cannot each buy a fresh per-token allowance;
            // a token that has opened an API on this instance has its own limit instead, so a flood of made-up tokens
            // from an address does not lock out the real ones.
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (TokenFailures.ReadToken(context.Request.Headers.Authorization.ToString()) is { } token
                    && context.RequestServices.GetRequiredService<TokenFailures>().IsKnown(token))
                {
                    return RateLimitPartition.GetNoLimiter("known-token");
                }

                var limit = context.RequestServices.GetRequiredService<IOptionsMonitor<ApiRateLimit>>().Get(PerIp);
                return RateLimitPartition.GetFixedWindowLimiter("ip:" + context.Connection.RemoteIpAddress, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limit.AnonymousPermitLimit,
                    Window = limit.Window,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });

            foreach (var audience in ApiAudiences.All)
            {
                options.AddPolicy(audience, context =>
                    Partition(context, audience, context.RequestServices.GetRequiredService<IOptionsMonitor<ApiRateLimit>>().Get(audience)));
            }

            options.OnRejected = async (rejected, ct) =>
            {
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : 60;
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await ApiErrors.WriteAsync(rejected.HttpContext, StatusCodes.Status429TooManyRequests,
                    [new ApiError(null, $"Too many requests. Try again in {seconds} seconds.")]);
            };
        });
        return services;
    }

    private static RateLimitPartition<string> Partition(HttpContext context, string audience, ApiRateLimit limit)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        var (key, permits) = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? ("token:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(authorization[7..].Trim()))), limit.TokenPermitLimit)
            : ("ip:" + context.Connection.RemoteIpAddress, limit.AnonymousPermitLimit);
        return RateLimitPartition.GetFixedWindowLimiter($"{audience}:{key}", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = limit.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }
}
