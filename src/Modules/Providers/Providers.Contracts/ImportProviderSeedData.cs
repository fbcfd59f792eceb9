using Mediator;
using Register.BuildingBlocks.Contracts;

namespace Register.Providers.Contracts;

/// <summary>
/// Imports the reference's providers seed CSV: upserted by provider code, rows with data issues flagged, not
/// dropped. Sent by the Host's <c>import-seed-data</c> verb and by the demo.
/// </summary>
public sealed record ImportProviderSeedData(string ProvidersCsvPath, IProgress<WorkProgress>? Progress = null)
    : IRequest<SeedImportReport>;

public sealed record SeedImportReport(
    int ProviderRows,
    int ProvidersCreated,
    int ProvidersUpdated,
    int ProvidersUnchanged,
    int ProvidersWithIssues,
    int ProviderRowsFailed,
    IReadOnlyList<string> Failures,
    TimeSpan Elapsed);
