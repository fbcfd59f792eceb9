using System.Collections.Concurrent;

namespace Register.BuildingBlocks;

/// <summary>
/// A small in-memory cache whose entries live at most <c>lifetime</c> (real time), for what every request looks up and
/// rarely changes: the API token's client, the token's provider. <see cref="ForgetAll"/> (called when such a record changes
/// in this process) empties it at once, and a look-up that began before it does not put its older answer back
/// (<see cref="GetOrLoadAsync"/>). Other processes' changes are seen within
/// <c>lifetime</c>. A zero lifetime turns it off. Past <c>capacity</c> entries it starts again empty.
/// </summary>
public sealed class ShortLivedCache<TKey, TValue>(TimeSpan lifetime, int capacity = 10_000)
    where TKey : notnull
    where TValue : class
{
    private readonly ConcurrentDictionary<TKey, Entry> _entries = new();
    private long _generation;

    public bool Enabled => lifetime > TimeSpan.Zero;

    /// <summary>Moves on at every <see cref="ForgetAll"/>.</summary>
    private long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(TKey key, out TValue? value)
    {
        if (Enabled && _entries.TryGetValue(key, out var entry) && Environment.TickCount64 < entry.ExpiresAt)
        {
            value = entry.Value;
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>
    /// The kept value, or else what <paramref name="load"/> finds (kept when found, unless something was forgotten while
    /// it was being found).
    /// </summary>
    public async Task<TValue?> GetOrLoadAsync(TKey key, Func<Task<TValue?>> load)
    {
        if (TryGet(key, out var value))
        {
            return value;
        }

        var generation = Generation;
        value = await load();
        if (value is not null)
        {
            Set(key, value, generation);
        }

        return value;
    }

    /// <summary>Keeps <paramref name="value"/> unless something was forgotten since <paramref name="generation"/> was read.</summary>
    private void Set(TKey key, TValue value, long generation)
    {
        if (!Enabled || generation != Generation)
        {
            return;
        }

        if (_entries.Count >= capacity)
        {
            _entries.Clear();
        }

        _entries[key] = new Entry(value, Environment.TickCount64 + (long)lifetime.TotalMilliseconds);
        if (generation != Generation)
        {
            // Forgotten while it was being put in: take it out again.
            _entries.TryRemove(key, out _);
        }
    }

    /// <summary>Replaces a kept entry's value (keeping its expiry); does nothing when the key is not kept.</summary>
    public void Replace(TKey key, TValue value)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            _entries.TryUpdate(key, entry with { Value = value }, entry);
        }
    }

    public void ForgetAll()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    private sealed record Entry(TValue Value, long ExpiresAt);
}
