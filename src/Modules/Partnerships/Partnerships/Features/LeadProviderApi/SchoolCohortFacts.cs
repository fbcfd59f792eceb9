namespace Register.Partnerships.Features.LeadProviderApi;

/// <summary>What the lead provider API derives about a school (aliased <c>s</c>) in a cohort (<c>@cohort</c>), as SQL.</summary>
internal static class SchoolCohortFacts
{
    /// <summary>The school has a partnership in the cohort, with any lead provider.</summary>
    public const string InPartnership =
        "EXISTS (SELECT 1 FROM partnerships.school_partnerships p WHERE p.school_id = s.id AND p.cohort_year = @cohort)";

    /// <summary>
    /// Over the relevant participants in the cohort — mentors with an expression of interest or a partnership; ECTs
    /// with one of those, or school-led — provider_led if any is provider-led, school_led if all are school-led,
    /// not_yet_known if there are none.
    /// </summary>
    public const string InductionProgrammeChoice =
        """
        CASE WHEN EXISTS (SELECT 1 FROM partnerships.training_periods tp
                          WHERE tp.school_id = s.id AND tp.cohort_year = @cohort AND tp.training_programme = 'provider_led'
                            AND (tp.expression_of_interest_lead_provider_id IS NOT NULL OR tp.school_partnership_id IS NOT NULL)) THEN 'provider_led'
             WHEN EXISTS (SELECT 1 FROM partnerships.training_periods tp
                          WHERE tp.school_id = s.id AND tp.cohort_year = @cohort AND tp.role = 'ect'
                            AND (tp.training_programme = 'school_led' OR tp.expression_of_interest_lead_provider_id IS NOT NULL OR tp.school_partnership_id IS NOT NULL)) THEN 'school_led'
             ELSE 'not_yet_known' END
        """;

    /// <summary>
    /// The school chose this lead provider (<c>@leadProviderId</c>) for a participant in the cohort, or a participant
    /// is in a partnership of it in the cohort. It stays true once a partnership has had participants.
    /// </summary>
    public const string ExpressionOfInterest =
        """
        EXISTS (SELECT 1 FROM partnerships.training_periods tp
                LEFT JOIN partnerships.school_partnerships p ON p.id = tp.school_partnership_id
                WHERE tp.school_id = s.id
                  AND ((tp.expression_of_interest_lead_provider_id = @leadProviderId AND tp.cohort_year = @cohort)
                       OR (p.lead_provider_id = @leadProviderId AND p.cohort_year = @cohort)))
        """;
}
