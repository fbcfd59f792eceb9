using System.Collections.Concurrent;

namespace Register.Baseline;

/// <summary>
/// What Register's LongLists (src/BuildingBlocks/BuildingBlocks/Http/LongLists.cs, ADR 27) keeps of a long list, in a plain
/// dictionary: a list of at most <see cref="ExactUpTo"/> rows is counted (capped one past that) on every request; a longer
/// list's total, that it is long, and where each page served (and the page after it) started are kept for 30 s, under
/// the same keys as Register's, so the baseline runs the same statements as Register in steady state: a remembered page of
/// a long list is a seek from its first row's sort key. Unlike Register's cache it has no size limit (a benchmark asks for
/// a few lists) and drops an entry only when it is read after its time.
/// </summary>
internal sealed class Lists
{
    public const int ExactUpTo = 10_000;
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (object Value, DateTime Until)> _entries = new();

    /// <summary>The list's total; <paramref name="count"/> counts its rows up to the limit it is given (null: no limit).</summary>
    public async Task<long> TotalAsync(string list, Func<long?, Task<long>> count)
    {
        if (TryGet("total " + list, out long remembered))
        {
            return remembered;
        }

        var capped = await count(ExactUpTo + 1L);
        if (capped <= ExactUpTo)
        {
            return capped;
        }

        var total = await count(null);
        Set("total " + list, total);
        Set("long " + list, true);
        return total;
    }

    /// <summary>Whether the list is long, for a list that shows no total (the capped count only when not remembered).</summary>
    public async Task<bool> IsLongAsync(string list, Func<long, Task<long>> cappedCount)
    {
        if (TryGet("long " + list, out bool _))
        {
            return true;
        }

        if (await cappedCount(ExactUpTo + 1L) <= ExactUpTo)
        {
            return false;
        }

        Set("long " + list, true);
        return true;
    }

    public T? StartOf<T>(string list, int page, int perPage)
        where T : class =>
        page > 1 && TryGet($"page {page} of {perPage} {list}", out T? start) ? start : null;

    public void Served<T>(string list, int page, int perPage, T first, T? next)
        where T : class
    {
        if (!TryGet("long " + list, out bool _))
        {
            return;
        }

        Set($"page {page} of {perPage} {list}", first);
        if (next is not null)
        {
            Set($"page {page + 1} of {perPage} {list}", next);
        }
    }

    private bool TryGet<T>(string key, out T? value)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Until > DateTime.UtcNow && entry.Value is T typed)
        {
            value = typed;
            return true;
        }

        value = default;
        return false;
    }

    private void Set(string key, object value) => _entries[key] = (value, DateTime.UtcNow + Freshness);
}
