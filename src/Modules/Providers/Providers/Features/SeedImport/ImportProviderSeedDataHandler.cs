using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Mediator;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Csv;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Outbox;
using Register.Providers.Contracts;
using Register.Providers.Domain;

namespace Register.Providers.Features.SeedImport;

/// <summary>
/// Imports the reference's provider seed CSV (§5.2 of spec/providers.md), a savepoint a row (a commit every
/// <see cref="RowsPerCommit"/> rows, <see cref="RowBatchTransaction"/>), upserting by
/// provider code: the provider, its accreditation (when accredited and numbered; upserted by number) and its
/// address (when <c>address__found</c> is true; upserted by postcode). A row that breaks a rule is saved all the
/// same and flagged (<c>seed_data_with_issues</c>, with the errors in <c>seed_data_notes</c>); only a row that
/// cannot be stored at all (no code, name or known type) fails. Re-importing the same file changes nothing.
/// The accreditation status follows the accreditations, as everywhere in Register.
/// </summary>
internal sealed class ImportProviderSeedDataHandler(NpgsqlDataSource db, OutboxDispatcher outbox, TimeProvider clock)
    : IRequestHandler<ImportProviderSeedData, SeedImportReport>
{
    /// <summary>Rows committed together; a row that fails rolls back alone (its savepoint).</summary>
    private const int RowsPerCommit = 250;

    public async ValueTask<SeedImportReport> Handle(ImportProviderSeedData request, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var failures = new List<string>();
        int rows = 0, created = 0, updated = 0, unchanged = 0, withIssues = 0;
        var today = clock.TodayInLondon();
        var total = request.Progress is null ? (int?)null : CsvRows.Read(request.ProvidersCsvPath).Count();

        await using var batch = new RowBatchTransaction(db, RowsPerCommit);
        foreach (var (line, row) in CsvRows.Read(request.ProvidersCsvPath))
        {
            rows++;
            try
            {
                var outcome = await ImportRowAsync(batch, row, today, cancellationToken);
                switch (outcome.Result)
                {
                    case RowResult.Created:
                        created++;
                        break;
                    case RowResult.Updated:
                        updated++;
                        break;
                    default:
                        unchanged++;
                        break;
                }

                withIssues += outcome.HasIssues ? 1 : 0;
            }
            catch (Exception ex) when (ex is SeedRowException or PostgresException)
            {
                failures.Add($"providers line {line}: {ex.Message}");
            }

            if (rows % 50 == 0 || rows == total)
            {
                request.Progress?.Report(new WorkProgress("providers", rows, total, $"{created} created, {updated} updated, {failures.Count} failed"));
            }
        }

        await batch.CommitAsync(cancellationToken);
        request.Progress?.Report(new WorkProgress("providers", rows, total, "publishing the changes to the other modules and the activity log"));
        await outbox.DispatchPendingAsync(ProvidersModule.Schema, cancellationToken);

        return new SeedImportReport(rows, created, updated, unchanged, withIssues, rows - created - updated - unchanged, failures, stopwatch.Elapsed);
    }

    private async Task<(RowResult Result, bool HasIssues)> ImportRowAsync(RowBatchTransaction batch, IReadOnlyDictionary<string, string> row, DateOnly today, CancellationToken ct)
    {
        string? Field(string name) => row.Field(name);

        var code = Field("provider__code")?.ToUpperInvariant() ?? throw new SeedRowException("provider__code is blank, so the row cannot be matched");
        var name = Field("provider__operating_name") ?? throw new SeedRowException($"{code}: provider__operating_name is blank");
        var status = Field("provider__accreditation_status");
        var type = Field("provider__provider_type");
        if (type is null || !ProviderTypes.All.Contains(type))
        {
            throw new SeedRowException($"{code}: provider__provider_type '{type}' is not one of hei, scitt, school, other");
        }

        var issues = new Dictionary<string, List<string>>();
        void Issue(string field, string message) => (issues.TryGetValue(field, out var list) ? list : issues[field] = []).Add(message);

        if (status is not null && !ProviderTypes.Statuses.Contains(status))
        {
            Issue("accreditation_status", $"'{status}' is neither accredited nor unaccredited");
            status = null;
        }

        var ukprn = Field("provider__ukprn");
        if (ukprn is null || ukprn.Equals("not found", StringComparison.OrdinalIgnoreCase))
        {
            ukprn = "00000000";
            Issue("ukprn", "Not found");
        }

        var years = (Field("provider__academic_years_active") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(y => int.TryParse(y, NumberStyles.None, CultureInfo.InvariantCulture, out var year) ? year : (int?)null)
            .Where(y => y is not null).Select(y => y!.Value).ToList();
        if (years.Any(y => y is < 2000 or > 2100))
        {
            Issue("academic_years", "Years before 2000 or after 2100 were ignored");
            years = years.Where(y => y is >= 2000 and <= 2100).ToList();
        }
        var (firstActiveOn, inactive) = AcademicYears.Lifecycle(years, today);
        if (firstActiveOn is null)
        {
            Issue("academic_years", "No active academic years given");
        }

        var accreditation = status == ProviderTypes.Accredited && Field("accreditation__number") is { } number
            ? new AccreditationDraft(number, CsvRows.Date(Field("accreditation__start_date")), CsvRows.Date(Field("accreditation__end_date")))
            : null;
        var address = Field("address__found") == "true" && Field("address__postcode") is not null
            ? new AddressDraft(Field("address__address_line_1"), Field("address__address_line_2"), Field("address__address_line_3"), Field("address__town_or_city"),
                Field("address__county"), Field("address__postcode"), SeedDecimal(Field("address__latitude")), SeedDecimal(Field("address__longitude")), Field("address__uprn")).Normalised()
            : null;

        // As the reference: an unaccredited SCITT is a school.
        if (type == ProviderTypes.Scitt && status == ProviderTypes.Unaccredited)
        {
            type = ProviderTypes.School;
        }

        var draft = new ProviderDraft(name, Field("provider__legal_name"), type, status ?? ProviderTypes.Unaccredited, code, ukprn, Field("provider__urn"),
            firstActiveOn ?? today, firstActiveOn ?? today, inactive).Normalised();
        foreach (var error in ProviderDraftValidator.Instance.Validate(draft).Errors)
        {
            Issue(error.PropertyName, error.ErrorMessage);
        }

        if (accreditation is not null)
        {
            foreach (var error in AccreditationDraftValidator.For(type).Validate(accreditation).Errors)
            {
                Issue($"accreditation.{error.PropertyName}", error.ErrorMessage);
            }
        }

        if (address is not null)
        {
            foreach (var error in AddressDraftValidator.Instance.Validate(address).Errors)
            {
                Issue($"address.{error.PropertyName}", error.ErrorMessage);
            }
        }

        var notes = JsonSerializer.Serialize(new { row_imported = row, errors = issues });
        return await batch.RunRowAsync(async tx =>
        {
            var now = clock.UtcNowForDatabase();
            var existing = await tx.Connection!.QuerySingleOrDefaultAsync<Provider>(new CommandDefinition(
                $"SELECT {Provider.Columns} FROM providers.providers WHERE upper(code) = @code FOR UPDATE", new { code }, tx, cancellationToken: ct));
            if (existing?.DeletedAt is not null)
            {
                throw new SeedRowException($"{code}: the provider with this code was deleted, so the row is not imported");
            }

            var result = RowResult.Unchanged;
            var provider = existing;
            if (provider is null)
            {
                provider = await ProviderStore.InsertAsync(tx, draft, Actor.SeedImport, now, ct, notes, issues.Count > 0);
                result = RowResult.Created;
            }

            if (accreditation is { StartDate: not null } && !issues.Keys.Any(k => k.StartsWith("accreditation", StringComparison.Ordinal)))
            {
                result = Max(result, await UpsertAccreditationAsync(tx, provider.Id, accreditation, now, ct));
            }

            if (address is not null && !issues.Keys.Any(k => k.StartsWith("address", StringComparison.Ordinal)))
            {
                result = Max(result, await UpsertAddressAsync(tx, provider.Id, address, now, ct));
            }

            // The status follows the accreditations, so the file's own status is only the starting point.
            var (followedType, followedStatus) = ProviderStore.FollowAccreditations(draft.ProviderType!, await ProviderStore.HasCurrentAccreditationAsync(tx, provider.Id, today, ct));
            var followed = draft with { ProviderType = followedType, AccreditationStatus = followedStatus };
            var after = await ProviderStore.UpdateAsync(tx, provider, existing is null ? followed : followed with { OnboardedOn = existing.OnboardedOn }, Actor.SeedImport, now, ct, notes, issues.Count > 0);
            if (existing is not null && after.UpdatedAt != existing.UpdatedAt)
            {
                result = Max(result, RowResult.Updated);
            }

            return (result, issues.Count > 0);
        }, ct);
    }

    private static async Task<RowResult> UpsertAccreditationAsync(NpgsqlTransaction tx, Guid providerId, AccreditationDraft draft, DateTimeOffset now, CancellationToken ct)
    {
        var existing = await tx.Connection!.QuerySingleOrDefaultAsync<Accreditation>(new CommandDefinition(
            $"SELECT {Accreditation.Columns} FROM providers.accreditations WHERE provider_id = @providerId AND number = @Number AND deleted_at IS NULL ORDER BY created_at LIMIT 1",
            new { providerId, draft.Number }, tx, cancellationToken: ct));
        if (existing is null)
        {
            await PartStore.InsertAccreditationAsync(tx, providerId, draft, Actor.SeedImport, now, ct);
            return RowResult.Updated;
        }

        if (existing.Fields() == new Accreditation.Tracked(draft.Number!, draft.StartDate!.Value, draft.EndDate))
        {
            return RowResult.Unchanged;
        }

        await PartStore.UpdateAccreditationAsync(tx, existing, draft, Actor.SeedImport, now, ct);
        return RowResult.Updated;
    }

    private static async Task<RowResult> UpsertAddressAsync(NpgsqlTransaction tx, Guid providerId, AddressDraft draft, DateTimeOffset now, CancellationToken ct)
    {
        var existing = await tx.Connection!.QuerySingleOrDefaultAsync<Address>(new CommandDefinition(
            $"SELECT {Address.Columns} FROM providers.addresses WHERE provider_id = @providerId AND postcode = @Postcode AND deleted_at IS NULL ORDER BY created_at LIMIT 1",
            new { providerId, draft.Postcode }, tx, cancellationToken: ct));
        if (existing is null)
        {
            await PartStore.InsertAddressAsync(tx, providerId, draft, Actor.SeedImport, now, ct);
            return RowResult.Updated;
        }

        if (existing.Fields() == new Address.Tracked(draft.AddressLine1!, draft.AddressLine2, draft.AddressLine3, draft.TownOrCity!, draft.County, draft.Postcode!, draft.Latitude, draft.Longitude, draft.Uprn))
        {
            return RowResult.Unchanged;
        }

        await PartStore.UpdateAddressAsync(tx, existing, draft, Actor.SeedImport, now, ct);
        return RowResult.Updated;
    }

    private static decimal? SeedDecimal(string? value) =>
        decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? Math.Round(number, 6) : null;

    private static RowResult Max(RowResult a, RowResult b) => (RowResult)Math.Max((int)a, (int)b);

    private enum RowResult
    {
        Unchanged,
        Updated,
        Created,
    }

    private sealed class SeedRowException(string message) : Exception(message);
}
