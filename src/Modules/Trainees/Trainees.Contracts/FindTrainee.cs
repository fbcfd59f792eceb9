using Mediator;

namespace Register.Trainees.Contracts;

/// <summary>
/// A trainee by its public <c>trainee_id</c> (the id the trainee API shows) or by its internal id (the <c>record_id</c> of its
/// activity items); null when Register has no such trainee.
/// </summary>
public sealed record FindTrainee(string Id) : IRequest<TraineeReference?>;

/// <summary>The trainees with these internal ids that Register has (any it has not are left out).</summary>
public sealed record GetTraineeReferences(IReadOnlyList<Guid> Ids) : IRequest<IReadOnlyList<TraineeReference>>;

/// <summary>Who a trainee record is, without any of its personal data: its ids, its training provider, and whether it was erased.</summary>
public sealed record TraineeReference(Guid Id, string TraineeId, Guid ProviderId, DateTimeOffset? ErasedAt);
