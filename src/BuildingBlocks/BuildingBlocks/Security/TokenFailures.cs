using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Register.BuildingBlocks.Security;

/// <summary><c>RateLimits:FailedTokens</c>: how many failed tokens an address may send in a window before it is cut short.</summary>
public sealed class FailedTokenLimit
{
    public int PermitLimit { get; set; } = 20;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a token that opened an API stays known to this instance.</summary>
    public TimeSpan KnownTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// What this instance knows of tokens, in memory: addresses that sent too many tokens that opened nothing, and tokens that
/// recently opened an API. Once an address has failed <see cref="FailedTokenLimit.PermitLimit"/> times in a window, a token
/// from it that this instance has not seen work is refused without a database look-up until the window ends; a token that
/// has worked still goes to the database (revocation takes effect at once) and, having its own per-token rate limit, is not
/// counted against its address's (see <see cref="Http.RateLimits"/>). So a flood of made-up tokens costs no queries and
/// does not lock out the real tokens from that address. Per instance (docs/operations.md).
/// </summary>
public sealed class TokenFailures(IOptionsMonitor<FailedTokenLimit> options, TimeProvider clock)
{
    private const int MaxEntries = 100_000;
    private readonly ConcurrentDictionary<string, Window> _failures = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _known = new(StringComparer.Ordinal);

    /// <summary>
    /// The token of an <c>Authorization</c> header: <c>Bearer &lt;token&gt;</c>, or <c>Token token=...</c> as in the reference
    /// services; null when there is none or it is longer than 512 characters.
    /// </summary>
    public static string? ReadToken(string header)
    {
        var value = header.Trim();
        if (value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            value = value[7..].Trim();
        }
        else if (value.StartsWith("Token token=", StringComparison.OrdinalIgnoreCase))
        {
            value = value[12..].Trim().Trim('"');
        }

        return value.Length is > 0 and <= 512 ? value : null;
    }

    public bool IsBlocked(IPAddress? address) =>
        _failures.TryGetValue(Key(address), out var window) && window.EndsAt > clock.GetUtcNow() && window.Count >= options.CurrentValue.PermitLimit;

    public void RecordFailure(IPAddress? address)
    {
        var now = clock.GetUtcNow();
        Prune(_failures, w => w.EndsAt <= now);
        _failures.AddOrUpdate(Key(address), _ => new Window(now + options.CurrentValue.Window, 1),
            (_, window) => window.EndsAt > now ? window with { Count = window.Count + 1 } : new Window(now + options.CurrentValue.Window, 1));
    }

    public bool IsKnown(string token) =>
        _known.TryGetValue(Hash(token), out var until) && until > clock.GetUtcNow();

    public void RememberWorked(string token)
    {
        var now = clock.GetUtcNow();
        Prune(_known, until => until <= now);
        _known[Hash(token)] = now + options.CurrentValue.KnownTokenLifetime;
    }

    private static void Prune<T>(ConcurrentDictionary<string, T> entries, Func<T, bool> expired)
    {
        if (entries.Count < MaxEntries)
        {
            return;
        }

        foreach (var (key, value) in entries)
        {
            if (expired(value))
            {
                entries.TryRemove(key, out _);
            }
        }

        if (entries.Count >= MaxEntries)
        {
            entries.Clear();
        }
    }

    private static string Key(IPAddress? address) => address?.ToString() ?? "unknown";

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private sealed record Window(DateTimeOffset EndsAt, int Count);
}
