namespace Register.BuildingBlocks;

public static class LondonTime
{
    /// <summary>England's time zone: the registers' days (token expiry, "today" in the activity log) are London days.</summary>
    public static TimeZoneInfo London { get; } = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    public static DateOnly TodayInLondon(this TimeProvider clock) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), London).DateTime);

    /// <summary>The instant a London day starts.</summary>
    public static DateTimeOffset StartOfLondonDay(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, London.GetUtcOffset(local));
    }
}
