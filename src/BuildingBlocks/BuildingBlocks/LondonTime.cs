namespace Register.BuildingBlocks;

public static class LondonTime
{
    /// <summary>England's time zone: the registers' days (token expiry, "today" in the activity log) are London days.</summary>
    public static TimeZoneInfo London { get; } = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    public static DateOnly TodayInLondon(this TimeProvider clock) => DayOf(clock.GetUtcNow());

    /// <summary>The London day <paramref name="at"/> falls on.</summary>
    public static DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, London).DateTime);

    /// <summary>The instant a London day starts.</summary>
    public static DateTimeOffset StartOfLondonDay(DateOnly day) => At(day, TimeOnly.MinValue);

    /// <summary>The instant a London wall clock shows <paramref name="time"/> on <paramref name="day"/> (BST or GMT as that day has it).</summary>
    public static DateTimeOffset At(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time);
        return new DateTimeOffset(local, London.GetUtcOffset(local)).ToUniversalTime();
    }
}

public static class DatabaseTime
{
    /// <summary>Now, in UTC, to the microsecond: what PostgreSQL stores, so an answer shows the same time a later read does.</summary>
    public static DateTimeOffset UtcNowForDatabase(this TimeProvider clock) => ForDatabase(clock.GetUtcNow());

    /// <summary>A time cut to the microsecond, as PostgreSQL stores it.</summary>
    public static DateTimeOffset ForDatabase(DateTimeOffset time) => time.AddTicks(-(time.Ticks % 10));
}
