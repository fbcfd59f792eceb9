using System.Globalization;

namespace Register.BuildingBlocks.Contracts;

/// <summary>
/// Event ids: version-7 UUIDs (time-ordered) that also increase strictly within this process, so the
/// notifications of one change, which share a timestamp, keep the order they were raised in everywhere
/// they are sorted (the outbox, the activity log).
/// </summary>
public static class EventIds
{
    private static readonly Lock Gate = new();
    private static UInt128 _last;

    public static Guid Next(DateTimeOffset at)
    {
        var candidate = UInt128.Parse(Guid.CreateVersion7(at).ToString("N"), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        lock (Gate)
        {
            _last = candidate > _last ? candidate : _last + 1;
            return Guid.ParseExact(_last.ToString("x32", CultureInfo.InvariantCulture), "N");
        }
    }
}
