using System.Diagnostics;
using System.Globalization;
using Dapper;
using Mediator;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Csv;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Outbox;
using Register.Partnerships.Contracts;
using Register.Partnerships.Domain;

namespace Register.Partnerships.Features.SeedImport;

/// <summary>
/// Imports the reference's provider-partnership seed CSV (spec/providers.md §5.2–5.3): both providers matched by
/// code in this module's copy of the register, upserted by the (accredited provider, training partner) pair and
/// overlapping dates (a pair's separate periods stay separate), dates from the row and academic years merged
/// with those already recorded. Re-importing changes nothing.
/// The seed is historical, so a partner's accreditation today is not checked; a row that breaks a date rule,
/// overlaps another partnership of the pair or names an unknown provider fails on its own.
/// </summary>
internal sealed class ImportPartnershipSeedDataHandler(TransactionRunner transactions, OutboxDispatcher outbox, TimeProvider clock)
    : IRequestHandler<ImportPartnershipSeedData, PartnershipImportReport>
{
    public async ValueTask<PartnershipImportReport> Handle(ImportPartnershipSeedData request, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var failures = new List<string>();
        int rows = 0, created = 0, updated = 0, unchanged = 0;
        var total = request.Progress is null ? (int?)null : CsvRows.Read(request.CsvPath).Count();
        foreach (var (line, row) in CsvRows.Read(request.CsvPath))
        {
            rows++;
            var start = CsvRows.Date(row.Field("partnership__start_date"));
            var end = CsvRows.Date(row.Field("partnership__end_date"));
            var years = (row.Field("partnership__academic_years_active") ?? "")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(y => int.TryParse(y, NumberStyles.None, CultureInfo.InvariantCulture, out var year) ? year : 0)
                .Where(y => y > 0).ToArray();
            var problem = new PartnershipTerms(start, end, years).Errors().FirstOrDefault()?.Message;
            try
            {
                var result = problem is null
                    ? await ImportRowAsync(row.Field("partnership__accredited_provider_provider_code"), row.Field("partnership__training_partner_provider_code"), start!.Value, end, years, cancellationToken)
                    : $"fails: {problem}";
                switch (result)
                {
                    case "created": created++; break;
                    case "updated": updated++; break;
                    case "unchanged": unchanged++; break;
                    default: failures.Add($"partnerships line {line}: {result[7..]}"); break;
                }
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ExclusionViolation)
            {
                failures.Add($"partnerships line {line}: it overlaps another partnership of the same providers");
            }

            if (rows % 50 == 0 || rows == total)
            {
                request.Progress?.Report(new WorkProgress("partnerships", rows, total, $"{created} created, {updated} updated, {failures.Count} failed"));
            }
        }

        await outbox.DispatchPendingAsync(PartnershipsModule.Schema, cancellationToken);
        return new PartnershipImportReport(rows, created, updated, unchanged, failures, stopwatch.Elapsed);
    }

    private async Task<string> ImportRowAsync(string? accreditedCode, string? partnerCode, DateOnly start, DateOnly? end, int[] years, CancellationToken ct) =>
        await transactions.RunWithoutDispatchAsync(PartnershipsModule.Schema, async tx =>
        {
            var accredited = await FindByCodeAsync(tx, accreditedCode, ct);
            var partner = await FindByCodeAsync(tx, partnerCode, ct);
            if (accredited is null || partner is null)
            {
                return $"fails: {(accredited is null ? $"accredited provider '{accreditedCode}'" : $"training partner '{partnerCode}'")} is not in the register";
            }

            if (accredited == partner)
            {
                return "fails: a provider cannot be in partnership with itself";
            }

            var now = clock.UtcNowForDatabase();
            var existing = await tx.Connection!.QuerySingleOrDefaultAsync<ProviderPartnership>(new CommandDefinition(
                $"""
                SELECT {ProviderPartnership.Columns} FROM partnerships.provider_partnerships
                WHERE accredited_provider_id = @accredited AND training_partner_id = @partner AND deleted_at IS NULL
                  AND daterange(start_date, end_date, '[]') && daterange(@start, @end, '[]')
                ORDER BY start_date LIMIT 1 FOR UPDATE
                """,
                new { accredited, partner, start, end }, tx, cancellationToken: ct));
            if (existing is null)
            {
                var partnership = new ProviderPartnership
                {
                    Id = Guid.CreateVersion7(now), AccreditedProviderId = accredited.Value, TrainingPartnerId = partner.Value,
                    StartDate = start, EndDate = end, AcademicYears = years.Distinct().Order().ToArray(), CreatedAt = now, UpdatedAt = now,
                };
                await PartnershipStore.InsertAsync(tx, partnership, ct);
                await Outbox.EnqueueAsync(tx, PartnershipsModule.Schema, partnership.Changed(RecordActions.Created, Actor.SeedImport, now, null), ct);
                return "created";
            }

            // The row's dates win; the years already recorded stay if they still fall within them.
            var keptYears = existing.AcademicYears.Where(y => new PartnershipTerms(start, end, [y]).Errors().FirstOrDefault() is null);
            var after = existing with { StartDate = start, EndDate = end, AcademicYears = keptYears.Union(years).Order().ToArray(), UpdatedAt = now };
            if (after.Fields() == existing.Fields())
            {
                return "unchanged";
            }

            await PartnershipStore.UpdateTermsAsync(tx, after, ct);
            await Outbox.EnqueueAsync(tx, PartnershipsModule.Schema, after.Changed(RecordActions.Updated, Actor.SeedImport, now, existing), ct);
            return "updated";
        }, ct);

    private static Task<Guid?> FindByCodeAsync(NpgsqlTransaction tx, string? code, CancellationToken ct) =>
        code is null
            ? Task.FromResult<Guid?>(null)
            : tx.Connection!.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
                "SELECT id FROM partnerships.partner_providers WHERE upper(code) = upper(@code) AND NOT deleted", new { code }, tx, cancellationToken: ct));
}
