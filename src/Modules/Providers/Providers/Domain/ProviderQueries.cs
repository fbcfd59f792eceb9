namespace Register.Providers.Domain;

/// <summary>SQL conditions the provider lists and APIs share.</summary>
internal static class ProviderQueries
{
    /// <summary>
    /// Active in any of the academic years <c>@years</c> (int[]) as of <c>@today</c> (date): became active by
    /// the year's end, and no inactive period (an open one runs to today) overlaps the year. Mirrors
    /// <see cref="AcademicYears.IsActive"/>.
    /// </summary>
    public const string ActiveInAnyYear =
        """
        EXISTS (SELECT 1 FROM unnest(@years::int[]) AS y(year)
                WHERE first_active_on IS NOT NULL AND first_active_on <= make_date(y.year + 1, 7, 31)
                  AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(inactive_periods) AS ip
                                  WHERE (ip->>'start_date')::date <= make_date(y.year + 1, 7, 31)
                                    AND coalesce((ip->>'end_date')::date, @today::date) >= make_date(y.year, 8, 1)))
        """;
}
