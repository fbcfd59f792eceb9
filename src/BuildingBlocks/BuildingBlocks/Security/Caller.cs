using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Register.BuildingBlocks.Contracts;

namespace Register.BuildingBlocks.Security;

/// <summary>The API client behind the current request, as the authentication handler resolved it.</summary>
public sealed record Caller(Guid ClientId, string ClientName, string Audience, Guid? OrganisationId)
{
    public const string ClientIdClaim = "register:client_id";
    public const string ClientNameClaim = "register:client_name";
    public const string AudienceClaim = "register:audience";
    public const string OrganisationIdClaim = "register:organisation_id";

    public Actor Actor => Actor.ApiClient(ClientId, ClientName);

    public IEnumerable<Claim> ToClaims()
    {
        yield return new Claim(ClientIdClaim, ClientId.ToString());
        yield return new Claim(ClientNameClaim, ClientName);
        yield return new Claim(AudienceClaim, Audience);
        if (OrganisationId is { } organisationId)
        {
            yield return new Claim(OrganisationIdClaim, organisationId.ToString());
        }
    }

    public static Caller? From(ClaimsPrincipal user)
    {
        var id = user.FindFirstValue(ClientIdClaim);
        if (id is null)
        {
            return null;
        }

        var organisation = user.FindFirstValue(OrganisationIdClaim);
        return new Caller(
            Guid.Parse(id),
            user.FindFirstValue(ClientNameClaim) ?? "",
            user.FindFirstValue(AudienceClaim) ?? "",
            organisation is null ? null : Guid.Parse(organisation));
    }
}

public static class CallerHttpContextExtensions
{
    /// <summary>The authenticated caller; endpoints behind <c>MapApi</c> always have one.</summary>
    public static Caller Caller(this HttpContext context) =>
        Security.Caller.From(context.User) ?? throw new InvalidOperationException("The request has no authenticated caller.");
}
