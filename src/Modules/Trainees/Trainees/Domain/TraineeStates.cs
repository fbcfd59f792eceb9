namespace Register.Trainees.Domain;

/// <summary>
/// A trainee's states (spec §2.2). The API never makes a <c>draft</c> (the reference's web drafts), though the list keeps
/// the reference's rule of leaving drafts out.
/// </summary>
internal static class TraineeStates
{
    public const string SubmittedForTrn = "submitted_for_trn";
    public const string TrnReceived = "trn_received";
    public const string RecommendedForAward = "recommended_for_award";
    public const string Withdrawn = "withdrawn";
    public const string Deferred = "deferred";
    public const string Awarded = "awarded";

    /// <summary>The states in which, from v2026.1, a trainee and its degrees and placements cannot be changed.</summary>
    public static bool IsLocked(string state) => state is RecommendedForAward or Withdrawn or Awarded;
}
