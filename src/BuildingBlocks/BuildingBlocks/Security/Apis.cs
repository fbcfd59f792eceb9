using System.Text.RegularExpressions;
using Register.BuildingBlocks.Http;

namespace Register.BuildingBlocks.Security;

/// <summary>
/// Who a token is for. One token, one audience: a token only opens the API of its audience, and the
/// audience is also the name of that API's authentication scheme, authorization policy and rate limit.
/// </summary>
public static class ApiAudiences
{
    /// <summary>DfE support staff managing the registers.</summary>
    public const string Support = "support";

    /// <summary>Read-only consumers of the register of training providers.</summary>
    public const string ProvidersApi = "providers_api";

    /// <summary>A training provider's student record system; scoped to that provider.</summary>
    public const string TraineesApi = "trainees_api";

    /// <summary>A lead provider's system; scoped to that lead provider.</summary>
    public const string LeadProviderApi = "lead_provider_api";

    public static IReadOnlyList<string> All { get; } = [Support, ProvidersApi, TraineesApi, LeadProviderApi];

    /// <summary>Audiences whose tokens act for one organisation (a training provider or a lead provider).</summary>
    public static bool IsScopedToOrganisation(string audience) => audience is TraineesApi or LeadProviderApi;
}

/// <summary>
/// One HTTP API of Register: the path it lives under, who may call it, the OpenAPI document it is described
/// in, and its error bodies.
/// </summary>
public sealed partial record ApiDefinition(string PathPrefix, string Audience, string OpenApiDocument, string Title, ErrorStyle ErrorStyle)
{
    public static ApiDefinition Support { get; } =
        new("/support", ApiAudiences.Support, "support", "Register support API", ErrorStyle.Register);

    /// <summary>The reference's read-only providers API, kept exactly for the clients that use it.</summary>
    public static ApiDefinition ProvidersV0 { get; } =
        new("/api/v0", ApiAudiences.ProvidersApi, "providers-v0", "Register of training providers API v0", ErrorStyle.Register);

    /// <summary>The paginated providers API for incremental sync.</summary>
    public static ApiDefinition ProvidersV1 { get; } =
        new("/api/v1", ApiAudiences.ProvidersApi, "providers-v1", "Register of training providers API v1", ErrorStyle.Register);

    public static ApiDefinition LeadProvider { get; } =
        new("/api/v3", ApiAudiences.LeadProviderApi, "lead-provider-v3", "Lead provider API (v3)", ErrorStyle.LeadProvider);

    /// <summary>The trainee versions served side by side; the last one is the current version.</summary>
    public static IReadOnlyList<string> TraineeApiVersions { get; } = ["v2025.0", "v2026.0", "v2026.1"];

    public static ApiDefinition Trainees(string version) =>
        new($"/api/{version}", ApiAudiences.TraineesApi, $"trainees-{version}", $"Register trainee teachers API {version}", ErrorStyle.Register);

    public static IReadOnlyList<ApiDefinition> All { get; } =
        [Support, ProvidersV0, ProvidersV1, LeadProvider, .. TraineeApiVersions.Select(Trainees)];

    /// <summary>
    /// The API a path belongs to, if any. Any other <c>/api/v…</c> path (an unknown version, a major alias such as
    /// <c>/api/v2026</c>) belongs to the trainee API, whose catch-all answers 401 first and then 404, as the reference's does.
    /// </summary>
    public static ApiDefinition? ForPath(string path) =>
        All.FirstOrDefault(api => path.Equals(api.PathPrefix, StringComparison.OrdinalIgnoreCase)
            || path.StartsWith(api.PathPrefix + "/", StringComparison.OrdinalIgnoreCase))
        ?? (TraineeVersionPath().Match(path) is { Success: true } version ? Trainees(version.Groups[1].Value) : null);

    [GeneratedRegex("^/api/(v[.0-9]+(?:-pre|-rc)?)(?:/|$)")]
    private static partial Regex TraineeVersionPath();
}
