namespace Register.Trainees.Domain;

/// <summary>One reason a trainee withdrew, for one trigger (who decided): its code, label and what it also needs.</summary>
internal sealed record WithdrawalReason(string Code, string DisplayName, string Trigger)
{
    public bool RequiresAnotherReason => Code.Contains("another_reason", StringComparison.Ordinal);

    public bool RequiresSafeguardingConcernReasons => Code == WithdrawalReasons.SafeguardingConcerns;
}

/// <summary>The withdrawal model (spec §4.5): a trigger (provider or trainee), the reasons valid for it, and future interest.</summary>
internal static class WithdrawalReasons
{
    public const string SafeguardingConcerns = "safeguarding_concerns";

    public static IReadOnlyList<string> Triggers { get; } = ["provider", "trainee"];

    public static IReadOnlyList<string> FutureInterests { get; } = ["yes", "no", "unknown"];

    /// <summary>The provider's reasons, then the trainee's, in the reference's order.</summary>
    public static IReadOnlyList<WithdrawalReason> All { get; } =
    [
        new("record_added_in_error", "This training record was added in error", "provider"),
        new("mandatory_reasons", "Trainee removed for mandatory reasons", "provider"),
        new("stopped_responding_to_messages", "They stopped attending/communicating", "provider"),
        new("unacceptable_behaviour", "Trainee behaviour or attitude", "provider"),
        new("lack_of_progress_during_placements", "Lack of progress during placements", "provider"),
        new("did_not_make_progress", "Lack of academic progress", "provider"),
        new("not_meeting_qts_standards", "Not meeting QTS or EYTS requirements", "provider"),
        new(SafeguardingConcerns, "Safeguarding concerns", "provider"),
        new("had_to_withdraw_trainee_another_reason", "Another reason", "provider"),
        new("unacceptable_behaviour", "Trainee behaviour or attitude", "trainee"),
        new("did_not_make_progress", "Lack of academic progress", "trainee"),
        new("lack_of_progress_during_placements", "Lack of progress during placements", "trainee"),
        new("trainee_workload_issues", "Trainee workload issues", "trainee"),
        new("not_meeting_qts_standards", "Not meeting QTS or EYTS requirements", "trainee"),
        new("change_in_personal_or_health_circumstances", "Change in their personal or health situation", "trainee"),
        new("does_not_want_to_become_a_teacher", "No longer want to pursue a teaching career", "trainee"),
        new("never_intended_to_obtain_qts", "They never intended to obtain QTS", "trainee"),
        new("moved_to_different_itt_course", "They moved to a different ITT course", "trainee"),
        new(SafeguardingConcerns, "Safeguarding concerns", "trainee"),
        new("trainee_chose_to_withdraw_another_reason", "Another reason", "trainee"),
    ];

    /// <summary>The reasons valid for a trigger; any trigger but "provider" has the trainee's, as in the reference.</summary>
    public static IReadOnlyList<WithdrawalReason> For(string? trigger) =>
        All.Where(r => r.Trigger == (trigger == "provider" ? "provider" : "trainee")).ToList();
}
