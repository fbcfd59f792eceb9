using Mediator;
using Register.BuildingBlocks.Contracts;

namespace Register.Partnerships.Contracts;

/// <summary>
/// A school (GIAS data) was added or changed. <see cref="School"/> is its state after the change: other modules keep
/// their local copies from it (the Trainees module checks employing and placement schools' URNs against them).
/// </summary>
public sealed record SchoolChanged(Guid EventId, DateTimeOffset OccurredAt, SchoolSnapshot School) : IIntegrationEvent;

/// <summary>What other modules may know of a school.</summary>
public sealed record SchoolSnapshot(Guid Id, string Urn, string Name, string? Postcode, string GiasStatus);

/// <summary>Every school, as other modules may know it: for a module filling its local copy when it first starts.</summary>
public sealed record ListSchoolSnapshots : IRequest<IReadOnlyList<SchoolSnapshot>>;
