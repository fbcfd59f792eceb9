using System.ComponentModel;

namespace Register.Trainees.Features.Lifecycle;

// What withdraw, defer and recommend take: documentation only (docs/adr/0018). Each answers the trainee as it now is.

[Description("Why and when the trainee withdrew (spec §4.5).")]
internal sealed record WithdrawRequest
{
    [Description("YYYY-MM-DD, not before itt_start_date. Required.")]
    public DateOnly? WithdrawalDate { get; init; }

    [Description("Who decided. Required.")]
    [Api.Values("provider", "trainee")]
    public string? Trigger { get; init; }

    [Description("Withdrawal reason codes valid for the trigger (GET /reference-data?field=withdrawal_reasons). At least one.")]
    public IReadOnlyList<string>? Reasons { get; init; }

    [Description("Whether the trainee may come back to teacher training. Required.")]
    [Api.Values("yes", "no", "unknown")]
    public string? FutureInterest { get; init; }

    [Description("Required when a reason is one of the *_another_reason codes.")]
    public string? AnotherReason { get; init; }

    [Description("Required when the reasons include safeguarding_concerns.")]
    public string? SafeguardingConcernReasons { get; init; }
}

[Description("{\"data\": the withdrawal}.")]
internal sealed record WithdrawRequestBody(WithdrawRequest Data);

[Description("When the trainee deferred, and why (spec §4.6).")]
internal sealed record DeferRequest
{
    [Description("YYYY-MM-DD. Required.")]
    public DateOnly? DeferDate { get; init; }

    [Description("Why, at most 500 characters.")]
    public string? DeferReason { get; init; }
}

[Description("{\"data\": the deferral}.")]
internal sealed record DeferRequestBody(DeferRequest Data);

[Description("When the trainee met the QTS or EYTS standards (spec §4.7).")]
internal sealed record RecommendRequest
{
    [Description("YYYY-MM-DD, not in the future and not before itt_start_date. Required.")]
    public DateOnly? QtsStandardsMetDate { get; init; }
}

[Description("{\"data\": the recommendation}.")]
internal sealed record RecommendRequestBody(RecommendRequest Data);
