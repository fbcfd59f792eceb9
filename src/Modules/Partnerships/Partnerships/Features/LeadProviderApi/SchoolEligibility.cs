namespace Register.Partnerships.Features.LeadProviderApi;

/// <summary>
/// Whether a school can have DfE-funded early career training now: marked eligible by DfE, or open (or about to
/// close), in England, and of an eligible GIAS type (an independent school only if section 41 approved).
/// </summary>
internal static class SchoolEligibility
{
    /// <summary>The rule as SQL over <c>partnerships.schools</c> aliased <c>s</c>.</summary>
    public const string Sql =
        """
        (s.marked_as_eligible OR (s.gias_status IN ('open', 'proposed_to_close') AND s.in_england
            AND s.type_name NOT IN ('Offshore schools', 'Service children''s education', 'Miscellaneous', 'Higher education institutions',
                                    'Welsh establishment', 'British schools overseas', 'Online provider', 'Institution funded by other government department')
            AND (s.type_name NOT IN ('Other independent school', 'Other independent special school') OR s.section_41_approved)))
        """;
}
