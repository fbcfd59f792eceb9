using Mediator;

namespace Register.Access.Contracts;

/// <summary>
/// Creates an API client and returns its token, for the Host's command line (a fresh install has no token
/// to call the support API with) and for the demo. <paramref name="Audience"/> is one of <c>support</c>,
/// <c>providers_api</c>, <c>trainees_api</c>, <c>lead_provider_api</c>; the last two need an organisation.
/// </summary>
public sealed record IssueApiToken(string Name, string Audience, Guid? OrganisationId, DateOnly? ExpiresOn) : IRequest<IssuedToken>;

/// <param name="Token">The secret: shown this once, stored only as a keyed hash.</param>
public sealed record IssuedToken(Guid ClientId, string Name, string Audience, DateOnly ExpiresOn, string Token);

/// <summary>
/// Revokes an organisation's live clients of an audience whose names start with <paramref name="NamePrefix"/>, as the
/// system: the demo revokes the SRS token it issued on an earlier run, since a provider has at most two. Returns how many.
/// </summary>
public sealed record RevokeApiClients(string Audience, Guid OrganisationId, string NamePrefix) : IRequest<int>;

/// <summary>
/// The names of an organisation's live clients of an audience (not revoked, deleted or expired), oldest first: the demo
/// says which SRS tokens hold a provider's two places when it cannot issue its own.
/// </summary>
public sealed record ListLiveApiClients(string Audience, Guid OrganisationId) : IRequest<IReadOnlyList<string>>;
