namespace Register.Trainees.Domain;

/// <summary>
/// A trainee record as stored: HESA codes as the API takes them, the state and its dates, and the ids of the records
/// it refers to. What the API derives (ethnic group, education phase, ages, course level) is derived in one place,
/// <c>TraineeJson</c>, from these.
/// </summary>
internal sealed record Trainee
{
    public Guid Id { get; init; }

    public string Slug { get; init; } = "";

    public Guid ProviderId { get; init; }

    public string State { get; init; } = TraineeStates.SubmittedForTrn;

    public string RecordSource { get; init; } = "api";

    public string? ProviderTraineeId { get; init; }

    public int? ApplicationId { get; init; }

    public string? HesaId { get; init; }

    /// <summary>Null only once erased (as are the last name, date of birth, sex and ethnicity): see <see cref="ErasedAt"/>.</summary>
    public string? FirstNames { get; init; }

    public string? MiddleNames { get; init; }

    public string? LastName { get; init; }

    public string? PreviousLastName { get; init; }

    public DateOnly? DateOfBirth { get; init; }

    public string? NiNumber { get; init; }

    public string? Email { get; init; }

    public string? Sex { get; init; }

    public string? Nationality { get; init; }

    public string? Ethnicity { get; init; }

    public string[] Disabilities { get; init; } = [];

    public string? IttAim { get; init; }

    public string? IttQualificationAim { get; init; }

    public string TrainingRoute { get; init; } = "";

    public string? CourseSubject1 { get; init; }

    public string? CourseSubject2 { get; init; }

    public string? CourseSubject3 { get; init; }

    public string? StudyMode { get; init; }

    public string? CourseAgeRange { get; init; }

    public int? CourseYear { get; init; }

    public string? FundCode { get; init; }

    public string? FundingMethod { get; init; }

    public string? IqtsCountry { get; init; }

    public string TrainingInitiative { get; init; } = TrainingInitiatives.None;

    public string? AdditionalTrainingInitiative { get; init; }

    public DateOnly IttStartDate { get; init; }

    public DateOnly IttEndDate { get; init; }

    public DateOnly? TraineeStartDate { get; init; }

    public DateOnly? PgApprenticeshipStartDate { get; init; }

    public int StartAcademicYear { get; init; }

    public Guid? TrainingPartnerId { get; init; }

    public string? EmployingSchoolUrn { get; init; }

    public string? Trn { get; init; }

    public DateTimeOffset? SubmittedForTrnAt { get; init; }

    public DateOnly? OutcomeDate { get; init; }

    public DateTimeOffset? RecommendedForAwardAt { get; init; }

    public DateTimeOffset? AwardedAt { get; init; }

    public DateOnly? DeferDate { get; init; }

    public string? DeferReason { get; init; }

    public DateOnly? ReinstateDate { get; init; }

    public DateOnly? WithdrawalDate { get; init; }

    public string? WithdrawalTrigger { get; init; }

    public string? WithdrawalFutureInterest { get; init; }

    public string[]? WithdrawalReasons { get; init; }

    public string? WithdrawalAnotherReason { get; init; }

    public string? WithdrawalSafeguardingConcernReasons { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? DiscardedAt { get; init; }

    /// <summary>When support erased the trainee's personal data (ADR 16): the record stays, its personal values are gone, and it cannot change.</summary>
    public DateTimeOffset? ErasedAt { get; init; }

    /// <summary>The training partner's URN, from the module's copy of providers (read only).</summary>
    public string? TrainingPartnerUrn { get; init; }

    /// <summary>The training partner's UKPRN, from the module's copy of providers (read only).</summary>
    public string? TrainingPartnerUkprn { get; init; }
}
