using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Register.BuildingBlocks.Contracts;

namespace Register.BuildingBlocks.Security;

/// <summary>The roles of the people who sign in to Register's web pages.</summary>
public static class WebRoles
{
    /// <summary>DfE support staff: the register of training providers, users, API clients, the activity log.</summary>
    public const string Support = "support";

    /// <summary>People who manage API clients and nothing else.</summary>
    public const string ApiUser = "api_user";

    /// <summary>People of one training provider: its trainees, "Bulk add new trainees" and, for an accredited HEI, its API tokens.</summary>
    public const string Provider = "provider";

    public static IReadOnlyList<string> All { get; } = [Support, ApiUser, Provider];
}

/// <summary>The authorization policies of the web pages (the cookie scheme <see cref="Scheme"/>).</summary>
public static class WebPolicies
{
    /// <summary>The authentication scheme of the web pages: a session cookie.</summary>
    public const string Scheme = "web";

    /// <summary>Anyone signed in.</summary>
    public const string SignedIn = "web:signed-in";

    /// <summary>Support users (and system admins, who are support users).</summary>
    public const string Support = "web:support";

    /// <summary>DfE's people: support users and API users (the API client pages), not provider users.</summary>
    public const string DfeStaff = "web:dfe-staff";

    /// <summary>System admins only: the record of support's reads of personal data (ADR 16).</summary>
    public const string SystemAdmin = "web:system-admin";

    /// <summary>Provider users: the provider service, always about their own provider (<see cref="SignedInUser.ProviderId"/>).</summary>
    public const string Provider = "web:provider";
}

/// <summary>The person behind a web request, as their session cookie says.</summary>
/// <param name="ProviderId">A provider user's training provider; null for every other role.</param>
public sealed record SignedInUser(Guid Id, Guid SessionId, string FirstName, string LastName, string Email, string Role, bool SystemAdmin, Guid? ProviderId = null)
{
    public const string UserIdClaim = "register:user_id";
    public const string SessionIdClaim = "register:session_id";
    public const string FirstNameClaim = "register:first_name";
    public const string LastNameClaim = "register:last_name";
    public const string EmailClaim = "register:email";
    public const string RoleClaim = "register:role";
    public const string SystemAdminClaim = "register:system_admin";
    public const string ProviderIdClaim = "register:provider_id";

    public string Name => $"{FirstName} {LastName}";

    public bool IsSupport => Role == WebRoles.Support;

    public bool IsApiUser => Role == WebRoles.ApiUser;

    public bool IsProviderUser => Role == WebRoles.Provider && ProviderId is not null;

    /// <summary>How the activity log names this person.</summary>
    public Actor Actor => Actor.User(Id, Name);

    public IEnumerable<Claim> ToClaims()
    {
        // The anti-forgery token is bound to this claim alone, so a form stays good when the person's name or role changes.
        yield return new Claim(ClaimTypes.NameIdentifier, Id.ToString());
        yield return new Claim(UserIdClaim, Id.ToString());
        yield return new Claim(SessionIdClaim, SessionId.ToString());
        yield return new Claim(FirstNameClaim, FirstName);
        yield return new Claim(LastNameClaim, LastName);
        yield return new Claim(EmailClaim, Email);
        yield return new Claim(RoleClaim, Role);
        yield return new Claim(SystemAdminClaim, SystemAdmin ? "true" : "false");
        if (ProviderId is { } provider)
        {
            yield return new Claim(ProviderIdClaim, provider.ToString());
        }
    }

    public static SignedInUser? From(ClaimsPrincipal principal)
    {
        if (!Guid.TryParse(principal.FindFirstValue(UserIdClaim), out var id) || !Guid.TryParse(principal.FindFirstValue(SessionIdClaim), out var session))
        {
            return null;
        }

        return new SignedInUser(
            id, session,
            principal.FindFirstValue(FirstNameClaim) ?? "",
            principal.FindFirstValue(LastNameClaim) ?? "",
            principal.FindFirstValue(EmailClaim) ?? "",
            principal.FindFirstValue(RoleClaim) ?? "",
            principal.FindFirstValue(SystemAdminClaim) == "true",
            Guid.TryParse(principal.FindFirstValue(ProviderIdClaim), out var provider) ? provider : null);
    }
}

public static class SignedInUserHttpContextExtensions
{
    /// <summary>The signed-in user; pages behind <c>MapWeb</c> always have one.</summary>
    public static SignedInUser SignedInUser(this HttpContext context) =>
        Security.SignedInUser.From(context.User) ?? throw new InvalidOperationException("The request has no signed-in user.");

    /// <summary>The signed-in provider user's training provider; pages behind <c>MapWeb(WebPolicies.Provider)</c> always have one.</summary>
    public static Guid SignedInProviderId(this HttpContext context) =>
        context.SignedInUser().ProviderId ?? throw new InvalidOperationException("The signed-in user is not a provider user.");
}
