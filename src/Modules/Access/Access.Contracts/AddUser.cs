using Mediator;

namespace Register.Access.Contracts;

/// <summary>
/// Adds a support user (or API user) from the command line: the first user of a fresh install, who can then add the
/// others in the pages. <paramref name="Role"/> is <c>support</c>, <c>api_user</c>, or <c>provider</c> with
/// <paramref name="ProviderId"/>. The answer has a one-time link to set a password when Register's own sign-in is on.
/// </summary>
public sealed record AddUser(string FirstName, string LastName, string Email, string Role, bool SystemAdmin, Guid? ProviderId = null) : IRequest<AddedUser>;

/// <param name="SignInPath">The path of the one-time link (<c>/sign-in/link?token=...</c>), or null when people sign in through an identity provider.</param>
public sealed record AddedUser(Guid Id, string Name, string Email, string? SignInPath, DateTimeOffset? SignInLinkExpiresAt);

/// <summary>
/// The demo's users, made or refreshed; each run gives the demo support and API users (and, with
/// <paramref name="ProviderId"/>, the demo provider user of that training provider) new passwords, printed once.
/// </summary>
public sealed record SeedDemoUsers(Guid? ProviderId = null) : IRequest<IReadOnlyList<DemoUser>>;

/// <param name="Password">The new password, or null for the demo's other colleagues, who have none.</param>
public sealed record DemoUser(string Name, string Email, string Role, string? Password);
