using System.Text.Json;
using Dapper;
using Npgsql;
using Register.BuildingBlocks.Contracts;
using Register.Providers.Contracts;

namespace Register.Providers.Domain;

/// <summary>A row of <c>providers.providers</c>.</summary>
internal sealed record Provider
{
    public const string Columns =
        "id, rotp_id, operating_name, legal_name, provider_type, accreditation_status, code, ukprn, urn, onboarded_on, first_active_on, " +
        "inactive_periods::text AS inactive_periods_json, archived_at, deleted_at, seed_data_with_issues, created_at, updated_at";

    public Guid Id { get; init; }

    public string RotpId { get; init; } = "";

    public string OperatingName { get; init; } = "";

    public string? LegalName { get; init; }

    public string ProviderType { get; init; } = "";

    public string AccreditationStatus { get; init; } = "";

    public string Code { get; init; } = "";

    public string Ukprn { get; init; } = "";

    public string? Urn { get; init; }

    public DateOnly? OnboardedOn { get; init; }

    public DateOnly? FirstActiveOn { get; init; }

    public string InactivePeriodsJson { get; init; } = "[]";

    public DateTimeOffset? ArchivedAt { get; init; }

    public DateTimeOffset? DeletedAt { get; init; }

    public bool SeedDataWithIssues { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public IReadOnlyList<InactivePeriod> InactivePeriods =>
        JsonSerializer.Deserialize<List<InactivePeriod>>(InactivePeriodsJson, InactivePeriod.Json) ?? [];

    public bool IsArchived => ArchivedAt is not null;

    /// <summary>A provider that is not deleted, locked for update when a transaction is given.</summary>
    public static Task<Provider?> FindAsync(NpgsqlConnection connection, Guid id, NpgsqlTransaction? forUpdate, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<Provider>(new CommandDefinition(
            $"SELECT {Columns} FROM providers.providers WHERE id = @id AND deleted_at IS NULL" + (forUpdate is null ? "" : " FOR UPDATE"),
            new { id }, forUpdate, cancellationToken: ct));

    public ProviderSnapshot Snapshot() =>
        new(Id, RotpId, Code, OperatingName, LegalName, ProviderType, AccreditationStatus, Ukprn, Urn, ArchivedAt, DeletedAt);

    /// <summary>The fields the activity log tracks (not the search text or the seed notes).</summary>
    public TrackedFields Tracked() =>
        new(RotpId, OperatingName, LegalName, ProviderType, AccreditationStatus, Code, Ukprn, Urn, OnboardedOn, FirstActiveOn, InactivePeriods, ArchivedAt);

    public ProviderChanged Changed(string action, Actor actor, DateTimeOffset at, Provider? before) =>
        new(EventIds.Next(at), at, action, actor, FieldChanges.Between(before?.Tracked(), action == BuildingBlocks.Contracts.RecordActions.Deleted ? null : Tracked()), Snapshot());

    internal sealed record TrackedFields(
        string RotpId,
        string OperatingName,
        string? LegalName,
        string ProviderType,
        string AccreditationStatus,
        string Code,
        string Ukprn,
        string? Urn,
        DateOnly? OnboardedOn,
        DateOnly? FirstActiveOn,
        IReadOnlyList<InactivePeriod> InactivePeriods,
        DateTimeOffset? ArchivedAt);
}

/// <summary>A time the provider was not active; an open end means it still is not.</summary>
internal sealed record InactivePeriod(DateOnly StartDate, DateOnly? EndDate, string? Reason)
{
    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = SnakeCase.Instance };

    public static string ToJson(IEnumerable<InactivePeriod> periods) => JsonSerializer.Serialize(periods, Json);

    public override string ToString() => $"{StartDate:yyyy-MM-dd} to {EndDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "(open)"}";
}
