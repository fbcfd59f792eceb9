using Mediator;
using Microsoft.Extensions.Configuration;
using Register.Access.Contracts;
using Register.BuildingBlocks;

namespace Register.Access.Tokens;

/// <summary>
/// The API clients that tokens opened lately, by the token's keyed hash (never the token), for <c>Tokens:CacheFor</c>
/// (10 seconds; zero turns it off), so a request's authentication reads no row. Whether a client is live (revoked,
/// deleted, expired) and its audience are checked on every request against the kept row. Any change to an API client in
/// this process (<see cref="ApiClientChanged"/>, published right after its commit) empties it, so a revoked or deleted
/// client's token stops working at once here; another Register process on the database sees it within <c>Tokens:CacheFor</c>.
/// </summary>
internal sealed class ApiTokenCache(IConfiguration configuration)
{
    public ShortLivedCache<string, ApiTokenClient> Clients { get; } =
        new(configuration.GetValue<TimeSpan?>("Tokens:CacheFor") ?? TimeSpan.FromSeconds(10));
}

/// <summary>An API client as its token's authentication reads it.</summary>
internal sealed record ApiTokenClient
{
    public Guid Id { get; init; }

    public string Name { get; init; } = "";

    public string Audience { get; init; } = "";

    public Guid? OrganisationId { get; init; }

    public byte[] TokenHash { get; init; } = [];

    public DateOnly ExpiresOn { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }

    public DateTimeOffset? DeletedAt { get; init; }

    public DateTimeOffset? LastUsedAt { get; init; }
}

/// <summary>An API client was created, renamed, revoked or deleted (and committed): the kept clients are forgotten.</summary>
internal sealed class ForgetCachedTokensHandler(ApiTokenCache cache) : INotificationHandler<ApiClientChanged>
{
    public ValueTask Handle(ApiClientChanged notification, CancellationToken cancellationToken)
    {
        cache.Clients.ForgetAll();
        return ValueTask.CompletedTask;
    }
}
