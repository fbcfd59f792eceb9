using Mediator;

namespace Register.Trainees.Contracts;

/// <summary>
/// Adds a few example trainees (with degrees and placements) to a training provider, through the same rules and creation as
/// POST /trainees, for the demo the run command starts. Returns their trainee ids; a provider that has trainees gets none.
/// </summary>
public sealed record SeedDemoTrainees(Guid ProviderId) : IRequest<IReadOnlyList<string>>;
