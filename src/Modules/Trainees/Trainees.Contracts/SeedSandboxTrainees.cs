using Mediator;

namespace Register.Trainees.Contracts;

/// <summary>
/// Gives a training provider the sandbox's sample trainees, at least one in each state a trainee can be in
/// (<c>submitted_for_trn</c>, <c>trn_received</c>, <c>deferred</c>, <c>withdrawn</c>, <c>recommended_for_award</c>, <c>awarded</c>),
/// each made and moved on by the same rules and steps as the API's POST /trainees, withdraw, defer and
/// update-qts-or-eyts-status, and TRS. The one left <c>submitted_for_trn</c> and the one left <c>recommended_for_award</c> wait
/// on TRS for a year, so that the states stay to be seen; a provider that has trainees gets none. Sent by the Host's
/// <c>sandbox-reset</c>. <paramref name="TrainingPartnerUrn"/> (a provider's URN) is named as some trainees' training partner.
/// </summary>
public sealed record SeedSandboxTrainees(Guid ProviderId, string? TrainingPartnerUrn) : IRequest<IReadOnlyList<SandboxTrainee>>;

/// <param name="TraineeId">The id the trainee API shows (its slug).</param>
public sealed record SandboxTrainee(string TraineeId, string Name, string State, string? Trn);
