using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Register.BuildingBlocks.Web;

/// <summary>The limits of one kind of action a person takes in the pages.</summary>
public sealed class ActionLimit
{
    public int PermitLimit { get; set; } = 3;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(3);
}

/// <summary>
/// Limits on actions taken through the pages, counted per person (or per address before sign-in), in this process:
/// <c>WebLimits:destructive</c> (archive or delete a provider, delete a user: 3 in 3 minutes, as the reference) and
/// <c>WebLimits:sign_in</c> (20 attempts in 5 minutes per address). A refused action gets the 429 page.
/// </summary>
public sealed class ActionLimits(IOptionsMonitor<ActionLimit> options)
{
    public const string Destructive = "destructive";
    public const string SignIn = "sign_in";

    private readonly ConcurrentDictionary<string, PartitionedRateLimiter<string>> _limiters = new();

    /// <summary>Takes one action of <paramref name="kind"/> for <paramref name="key"/>; false, with the wait, when the limit is reached.</summary>
    public bool TryTake(string kind, string key, out TimeSpan retryAfter)
    {
        var limiter = _limiters.GetOrAdd(kind, k =>
        {
            var limit = options.Get(k);
            return PartitionedRateLimiter.Create<string, string>(partition => RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = limit.PermitLimit,
                Window = limit.Window,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
        });
        using var lease = limiter.AttemptAcquire(key);
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : options.Get(kind).Window;
        return lease.IsAcquired;
    }

    /// <summary>The 429 page, with Retry-After.</summary>
    public static IResult TooMany(HttpContext http, TimeSpan retryAfter)
    {
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return Pages.Problem(StatusCodes.Status429TooManyRequests, "You have tried this action too many times. Try again later.");
    }
}
