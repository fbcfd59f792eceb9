using Mediator;

namespace Register.Providers.Contracts;

/// <summary>One tab of a provider's pages; the tabs belong to four modules (Providers, Partnerships, Access, ActivityLog).</summary>
public sealed record ProviderTab(string Text, string Href);

public static class ProviderTabs
{
    /// <summary>The tabs of a provider's pages, in the reference's order, with Register's activity log last.</summary>
    public static IReadOnlyList<ProviderTab> For(Guid providerId) =>
    [
        new("Provider details", $"/providers/{providerId}"),
        new("Accreditations", $"/providers/{providerId}/accreditations"),
        new("Addresses", $"/providers/{providerId}/addresses"),
        new("Contacts", $"/providers/{providerId}/contacts"),
        new("Partnerships", $"/providers/{providerId}/partnerships"),
        new("Users", $"/providers/{providerId}/users"),
        new("Activity log", $"/providers/{providerId}/activity"),
    ];
}

/// <summary>What a page of another module shows at the top of a provider's tab: null when the provider does not exist or is deleted.</summary>
public sealed record GetProviderHeading(Guid ProviderId) : IRequest<ProviderHeading?>;

public sealed record ProviderHeading(Guid Id, string OperatingName, string ProviderType, string AccreditationStatus, bool Archived);

/// <summary>The headings of these providers, in one query (a dashboard's list of providers); deleted or unknown ones are left out.</summary>
public sealed record GetProviderHeadings(IReadOnlyList<Guid> ProviderIds) : IRequest<IReadOnlyList<ProviderHeading>>;

/// <summary>
/// Providers (not archived, not deleted) whose name, code, UKPRN or URN match <paramref name="Query"/> by word prefix, by
/// name; only of the given types or status when given. Answers the find-a-partner search of the partnership pages.
/// </summary>
public sealed record SearchProviders(string Query, IReadOnlyList<string>? ProviderTypes, string? AccreditationStatus, int Limit) : IRequest<IReadOnlyList<ProviderMatch>>;

public sealed record ProviderMatch(Guid Id, string OperatingName, string Code, string Ukprn, string? Urn);
