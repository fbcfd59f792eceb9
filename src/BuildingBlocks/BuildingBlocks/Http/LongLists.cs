using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Register.BuildingBlocks.Http;

/// <summary>
/// Keeps a page of a long list at the cost of a page of a short one, under the reference's page numbers (ADR 27).
/// <list type="bullet">
/// <item>A list of at most <see cref="LongListOptions.ExactUpTo"/> rows is counted, and paged with OFFSET, on every
/// request: its total and pages are exact and current. The count is capped one past that, so finding a list is long
/// costs no more than counting a short one.</item>
/// <item>A longer list's total is counted once and kept for <see cref="LongListOptions.Freshness"/>, per list and filters,
/// in this process.</item>
/// <item>A page of a long list that this process has served (or whose previous page it has served) within the same time
/// starts at the row that started it then: the query seeks to that row's sort key through the index, instead of
/// skipping every row before it. Any other page is found with OFFSET once.</item>
/// </list>
/// A slice names its list with a key that holds everything that selects and orders its rows (scope, filters,
/// direction); the key of a row is whatever the slice orders by, ending in a unique column.
/// </summary>
public sealed class LongLists : IDisposable
{
    private readonly MemoryCache _cache;
    private readonly LongListOptions _options;

    public LongLists(IOptions<LongListOptions> options)
    {
        _options = options.Value;
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = _options.MaxEntries });
    }

    public int ExactUpTo => _options.ExactUpTo;

    /// <summary>
    /// The list's total. <paramref name="count"/> counts the rows, stopping at the limit it is given when that is not
    /// null (<c>SELECT count(*) FROM (SELECT 1 FROM … WHERE … LIMIT @limit) c</c>; a null limit is no limit).
    /// </summary>
    public async Task<long> TotalAsync(string list, Func<long?, Task<long>> count)
    {
        if (_cache.TryGetValue(TotalKey(list), out long remembered))
        {
            return remembered;
        }

        var capped = await count(_options.ExactUpTo + 1L);
        if (capped <= _options.ExactUpTo)
        {
            return capped;
        }

        var total = await count(null);
        _cache.Set(TotalKey(list), total, Entry());
        _cache.Set(LongKey(list), true, Entry());
        return total;
    }

    /// <summary>
    /// Whether the list is long, for a list that shows no total: <paramref name="cappedCount"/> counts its rows up to the
    /// limit it is given, and a long list is remembered as long for <see cref="LongListOptions.Freshness"/>.
    /// </summary>
    public async Task<bool> IsLongAsync(string list, Func<long, Task<long>> cappedCount)
    {
        if (_cache.TryGetValue(LongKey(list), out bool _))
        {
            return true;
        }

        if (await cappedCount(_options.ExactUpTo + 1L) <= _options.ExactUpTo)
        {
            return false;
        }

        _cache.Set(LongKey(list), true, Entry());
        return true;
    }

    /// <summary>The sort key of the first row of the page when this process knows it and the list is long; else null (use OFFSET).</summary>
    public TKey? StartOf<TKey>(string list, int page, int perPage)
        where TKey : class =>
        page > 1 && _cache.TryGetValue(PageKey(list, page, perPage), out TKey? start) ? start : null;

    /// <summary>
    /// Remembers where a page served of a long list started, and where the next one starts (the key of the row after
    /// the page's last, when the query asked for one row more than a page). Short lists are not remembered.
    /// </summary>
    public void Served<TKey>(string list, int page, int perPage, TKey first, TKey? next)
        where TKey : class
    {
        if (!_cache.TryGetValue(LongKey(list), out bool _))
        {
            return;
        }

        _cache.Set(PageKey(list, page, perPage), first, Entry());
        if (next is not null)
        {
            _cache.Set(PageKey(list, page + 1, perPage), next, Entry());
        }
    }

    public void Dispose() => _cache.Dispose();

    private static string TotalKey(string list) => "total " + list;

    private static string LongKey(string list) => "long " + list;

    private static string PageKey(string list, int page, int perPage) => $"page {page} of {perPage} {list}";

    private MemoryCacheEntryOptions Entry() => new() { AbsoluteExpirationRelativeToNow = _options.Freshness, Size = 1 };
}

/// <summary>Settings of <see cref="LongLists"/> (section <c>Lists</c>).</summary>
public sealed class LongListOptions
{
    /// <summary>A list of at most this many rows is counted and paged exactly on every request.</summary>
    public int ExactUpTo { get; set; } = 10_000;

    /// <summary>How long a long list's total and page starts are kept.</summary>
    public TimeSpan Freshness { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most totals and page starts kept at once (past it, the cache drops some, the least recently used first).</summary>
    public int MaxEntries { get; set; } = 100_000;
}

public static class LongListsRegistration
{
    public static IServiceCollection AddLongLists(this IServiceCollection services)
    {
        services.AddOptions<LongListOptions>().BindConfiguration("Lists");
        services.AddSingleton<LongLists>();
        return services;
    }
}
