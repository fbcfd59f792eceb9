using Mediator;
using Register.BuildingBlocks.Contracts;

namespace Register.Partnerships.Contracts;

/// <summary>A provider partnership was added, updated or deleted; it shows in both providers' timelines.</summary>
public sealed record PartnershipChanged(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid RecordId,
    string Action,
    Actor Actor,
    IReadOnlyList<FieldChange> Changes,
    Guid AccreditedProviderId,
    Guid TrainingPartnerId) : IRecordChanged
{
    public string RecordType => "partnership";

    public IReadOnlyList<Guid> ProviderIds => [AccreditedProviderId, TrainingPartnerId];
}

/// <summary>
/// Imports the reference's provider-partnership seed CSV: providers matched by code, upserted by the
/// (accredited provider, training partner) pair, academic years merged. Sent by the Host's <c>import-seed-data</c>.
/// </summary>
public sealed record ImportPartnershipSeedData(string CsvPath, IProgress<WorkProgress>? Progress = null) : IRequest<PartnershipImportReport>;

public sealed record PartnershipImportReport(int Rows, int Created, int Updated, int Unchanged, IReadOnlyList<string> Failures, TimeSpan Elapsed);

/// <summary>A lead provider confirmed a partnership with a school, or changed its delivery partner (lead provider API).</summary>
public sealed record SchoolPartnershipChanged(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid RecordId,
    string Action,
    Actor Actor,
    IReadOnlyList<FieldChange> Changes) : IRecordChanged
{
    public string RecordType => "school_partnership";

    public IReadOnlyList<Guid> ProviderIds => [];
}

/// <summary>
/// Imports schools from a GIAS-style CSV (columns <c>URN</c>, <c>EstablishmentName</c>, <c>TypeOfEstablishment (name)</c>,
/// <c>EstablishmentStatus (name)</c>, <c>Section41Approved (name)</c>, <c>GOR (name)</c>): upserted by URN, induction
/// tutors and contact emails left as they are unless the file has them. Sent by the Host's <c>import-schools</c>.
/// </summary>
public sealed record ImportSchools(string CsvPath, IProgress<WorkProgress>? Progress = null) : IRequest<SchoolImportReport>;

public sealed record SchoolImportReport(int Rows, int Created, int Updated, int Unchanged, IReadOnlyList<string> Failures, TimeSpan Elapsed);

/// <summary>
/// Fills an empty lead provider world with the sandbox scenarios lead providers test against (spec
/// partnerships.md §6.1): cohorts, seven lead providers, delivery partners and their contracts, schools, and
/// partnerships and participants in each scenario. Returns the lead providers' ids by name. Idempotent.
/// </summary>
public sealed record SeedLeadProviderSandbox : IRequest<IReadOnlyDictionary<string, Guid>>;

/// <summary>Every lead provider's id by its name: the Host's <c>sandbox-token</c> issues a token for the one it names.</summary>
public sealed record ListLeadProviders : IRequest<IReadOnlyDictionary<string, Guid>>;
