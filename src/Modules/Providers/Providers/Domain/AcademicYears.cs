namespace Register.Providers.Domain;

/// <summary>An academic year is named by the year it starts: 2025 runs from 1 August 2025 to 31 July 2026.</summary>
internal static class AcademicYears
{
    public static DateOnly Start(int year) => new(year, 8, 1);

    public static DateOnly End(int year) => new(year + 1, 7, 31);

    public static int Containing(DateOnly day) => day.Month >= 8 ? day.Year : day.Year - 1;

    /// <summary>
    /// Whether a provider was active in <paramref name="year"/>: it had become active by the year's end and no
    /// inactive period (an open one runs to today) overlaps the year.
    /// </summary>
    public static bool IsActive(DateOnly? firstActiveOn, IEnumerable<InactivePeriod> inactive, int year, DateOnly today) =>
        firstActiveOn is { } first && first <= End(year)
        && !inactive.Any(p => p.StartDate <= End(year) && (p.EndDate ?? today) >= Start(year));

    /// <summary>The years from the one the provider became active in to the current one, minus the inactive ones; newest first.</summary>
    public static IReadOnlyList<int> Active(DateOnly? firstActiveOn, IReadOnlyList<InactivePeriod> inactive, DateOnly today)
    {
        if (firstActiveOn is not { } first || first > today)
        {
            return [];
        }

        return Enumerable.Range(Containing(first), Containing(today) - Containing(first) + 1)
            .Where(y => IsActive(first, inactive, y, today))
            .Reverse()
            .ToList();
    }

    /// <summary>
    /// The lifecycle the seed import derives from a list of active years: active from the start of the first,
    /// inactive in every gap, and inactive since the last one ended if that was before the current year.
    /// </summary>
    public static (DateOnly? FirstActiveOn, IReadOnlyList<InactivePeriod> Inactive) Lifecycle(IEnumerable<int> activeYears, DateOnly today)
    {
        var years = activeYears.Distinct().Order().ToList();
        if (years.Count == 0)
        {
            return (null, []);
        }

        var inactive = new List<InactivePeriod>();
        for (var i = 1; i < years.Count; i++)
        {
            if (years[i] > years[i - 1] + 1)
            {
                inactive.Add(new InactivePeriod(End(years[i - 1]).AddDays(1), Start(years[i]).AddDays(-1), "None given"));
            }
        }

        var current = Containing(today);
        if (years[^1] != current && years[^1] != current + 1)
        {
            inactive.Add(new InactivePeriod(End(years[^1]).AddDays(1), null, "None given"));
        }

        return (Start(years[0]), inactive);
    }
}
