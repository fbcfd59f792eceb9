using System.Globalization;

namespace Register.BuildingBlocks.Web;

/// <summary>How pages write dates, times, years and counts, as the GOV.UK style guide and the reference service do.</summary>
public static class Formats
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>"2 January 1998".</summary>
    public static string Date(DateOnly date) => date.ToString("d MMMM yyyy", English);

    public static string? Date(DateOnly? date) => date is { } d ? Date(d) : null;

    /// <summary>"2:22pm", "12pm (midday)", "12am (midnight)", in London time.</summary>
    public static string Time(DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, LondonTime.London);
        if (local.Minute == 0 && local.Hour == 12)
        {
            return "12pm (midday)";
        }

        if (local.Minute == 0 && local.Hour == 0)
        {
            return "12am (midnight)";
        }

        var hour = local.Hour % 12 == 0 ? 12 : local.Hour % 12;
        return string.Create(English, $"{hour}:{local:mm}{(local.Hour < 12 ? "am" : "pm")}");
    }

    /// <summary>"21 May 2025 at 2:22pm", in London time.</summary>
    public static string DateTime(DateTimeOffset at) =>
        $"{Date(LondonTime.DayOf(at))} at {Time(at)}";

    public static string? DateTime(DateTimeOffset? at) => at is { } a ? DateTime(a) : null;

    /// <summary>"1,234".</summary>
    public static string Count(long count) => count.ToString("N0", English);

    /// <summary>"2025 to 2026", with " - current", " - last" or " - next" where it applies.</summary>
    public static string AcademicYear(int year, DateOnly today)
    {
        var current = today.Month >= 8 ? today.Year : today.Year - 1;
        var suffix = (year - current) switch
        {
            0 => " - current",
            -1 => " - last",
            1 => " - next",
            _ => "",
        };
        return string.Create(English, $"{year} to {year + 1}{suffix}");
    }

    /// <summary>"Starts on 1 August 2025, ends on 31 July 2026".</summary>
    public static string AcademicYearDates(int year) => $"Starts on 1 August {year}, ends on 31 July {year + 1}";
}
