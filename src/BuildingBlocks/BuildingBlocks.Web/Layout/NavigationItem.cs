using Register.BuildingBlocks.Security;

namespace Register.BuildingBlocks.Web.Layout;

/// <summary>An item of the service navigation; which ones a person sees depends on their role.</summary>
public sealed record NavigationItem(string Text, string Href, bool AlignRight = false)
{
    /// <summary>Signing out changes something, so it is a form (POST with the anti-forgery token), drawn as a navigation item.</summary>
    public const string SignOut = "/sign-out";

    private static readonly IReadOnlyList<NavigationItem> Support =
    [
        new("Providers", "/providers"), new("Users", "/users"), new("API clients", "/api-clients"), new("Activity log", "/activity"),
        new("TRS requests", "/trs-requests"), new("Usage", "/usage"), new("Your account", "/account", AlignRight: true), new("Sign out", "/sign-out"),
    ];

    /// <summary>A system admin also sees who read personal data (ADR 16).</summary>
    private static readonly IReadOnlyList<NavigationItem> SystemAdmin = [.. Support.TakeWhile(i => !i.AlignRight), new("Personal data reads", "/personal-data-reads"), .. Support.SkipWhile(i => !i.AlignRight)];

    private static readonly IReadOnlyList<NavigationItem> ApiUser = [new("API clients", "/api-clients"), new("Your account", "/account", AlignRight: true), new("Sign out", "/sign-out")];

    /// <summary>The provider service: trainees, "Bulk add new trainees", and the SRS vendor's API tokens (accredited HEIs only: others get a page that says so).</summary>
    private static readonly IReadOnlyList<NavigationItem> ProviderUser =
    [
        new("Trainees", "/trainees"), new("Bulk add new trainees", "/bulk-update/add-trainees"), new("API tokens", "/api-tokens"),
        new("Your account", "/account", AlignRight: true), new("Sign out", "/sign-out"),
    ];

    public bool IsCurrent(string path) =>
        Href != SignOut && (path.Equals(Href, StringComparison.OrdinalIgnoreCase) || path.StartsWith(Href + "/", StringComparison.OrdinalIgnoreCase));

    public static IReadOnlyList<NavigationItem> For(SignedInUser? user) => user switch
    {
        null => [],
        { IsSupport: true, SystemAdmin: true } => SystemAdmin,
        { IsSupport: true } => Support,
        { IsApiUser: true } => ApiUser,
        { IsProviderUser: true } => ProviderUser,
        _ => [new("Your account", "/account", AlignRight: true), new("Sign out", "/sign-out")],
    };
}
