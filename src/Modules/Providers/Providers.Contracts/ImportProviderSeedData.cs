using Mediator;

namespace Register.Providers.Contracts;

/// <summary>
/// Imports the reference's seed files: the providers CSV (upserted by provider code, rows with data issues
/// flagged, not dropped) and, optionally, the provider-partnerships CSV (checked row by row; stored once the
/// Partnerships module exists). Sent by the Host's <c>import-seed-data</c> verb and by the demo.
/// </summary>
public sealed record ImportProviderSeedData(string ProvidersCsvPath, string? PartnershipsCsvPath, IProgress<string>? Progress = null)
    : IRequest<SeedImportReport>;

public sealed record SeedImportReport(
    int ProviderRows,
    int ProvidersCreated,
    int ProvidersUpdated,
    int ProvidersUnchanged,
    int ProvidersWithIssues,
    int ProviderRowsFailed,
    int PartnershipRows,
    int PartnershipRowsValid,
    IReadOnlyList<string> Failures,
    TimeSpan Elapsed);
