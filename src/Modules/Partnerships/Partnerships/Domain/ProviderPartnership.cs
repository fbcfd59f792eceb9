using System.Globalization;
using Dapper;
using Npgsql;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Http;
using Register.Partnerships.Contracts;

namespace Register.Partnerships.Domain;

/// <summary>A row of <c>partnerships.provider_partnerships</c>.</summary>
internal sealed record ProviderPartnership
{
    public const string Columns = "id, accredited_provider_id, training_partner_id, start_date, end_date, academic_years, created_at, updated_at";

    public Guid Id { get; init; }

    public Guid AccreditedProviderId { get; init; }

    public Guid TrainingPartnerId { get; init; }

    public DateOnly StartDate { get; init; }

    public DateOnly? EndDate { get; init; }

    public int[] AcademicYears { get; init; } = [];

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public static Task<ProviderPartnership?> FindAsync(NpgsqlConnection connection, Guid id, NpgsqlTransaction? forUpdate, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<ProviderPartnership>(new CommandDefinition(
            $"SELECT {Columns} FROM partnerships.provider_partnerships WHERE id = @id AND deleted_at IS NULL" + (forUpdate is null ? "" : " FOR UPDATE"),
            new { id }, forUpdate, cancellationToken: ct));

    public Tracked Fields() => new(StartDate, EndDate, string.Join(", ", AcademicYears.Order().Select(y => y.ToString(CultureInfo.InvariantCulture))));

    public PartnershipChanged Changed(string action, Actor actor, DateTimeOffset at, ProviderPartnership? before) =>
        new(EventIds.Next(at), at, Id, action, actor,
            action == RecordActions.Created
                ? [new FieldChange("accredited_provider_id", null, AccreditedProviderId.ToString()), new FieldChange("training_partner_id", null, TrainingPartnerId.ToString()), .. FieldChanges.Between(null, Fields())]
                : FieldChanges.Between(before?.Fields(), action == RecordActions.Deleted ? null : Fields()),
            AccreditedProviderId, TrainingPartnerId);

    internal sealed record Tracked(DateOnly StartDate, DateOnly? EndDate, string AcademicYears);
}

/// <summary>The dates and years of a partnership, as support users set them.</summary>
internal sealed record PartnershipTerms(DateOnly? StartDate, DateOnly? EndDate, IReadOnlyList<int>? AcademicYears)
{
    /// <summary>The reference's rules, plus end ≥ start and every year overlapping the dates (an open end runs forever).</summary>
    public IEnumerable<ApiError> Errors()
    {
        if (StartDate is null)
        {
            yield return new ApiError("start_date", "Enter date the partnership started");
        }

        var backwards = StartDate is { } start && EndDate is { } end && end < start;
        if (backwards)
        {
            yield return new ApiError("end_date", "The partnership end date must be the same as or after the date it started");
        }

        if (AcademicYears is null || AcademicYears.Count == 0)
        {
            yield return new ApiError("academic_years", "Select academic year");
            yield break;
        }

        foreach (var year in AcademicYears.Distinct().Order())
        {
            if (year is < 2000 or > 2100)
            {
                yield return new ApiError("academic_years", $"{year} is not an academic year: give the year it starts, like 2025");
            }
            else if (!backwards && StartDate is { } s && (new DateOnly(year + 1, 7, 31) < s || (EndDate is { } e && new DateOnly(year, 8, 1) > e)))
            {
                yield return new ApiError("academic_years", $"Academic year {year} to {year + 1} does not overlap the partnership dates");
            }
        }
    }
}
