using Mediator;

namespace Register.Access.Contracts;

/// <summary>
/// Creates a support API client and returns its token, for the Host's command line (a fresh install
/// has no token to call the support API with) and for the demo.
/// </summary>
public sealed record IssueSupportToken(string Name, DateOnly? ExpiresOn) : IRequest<IssuedToken>;

/// <param name="Token">The secret: shown this once, stored only as a keyed hash.</param>
public sealed record IssuedToken(Guid ClientId, string Name, DateOnly ExpiresOn, string Token);
