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
/// with those already recorded; a pair listed twice with overlapping dates is one partnership. Re-importing changes nothing.
/// The seed is historical, so a partner's accreditation today is not checked; a row that breaks a date rule,
/// overlaps another partnership of the pair or names an unknown provider fails on its own (each row in a savepoint, with
/// a commit every <see cref="RowsPerCommit"/> rows: <see cref="RowBatchTransaction"/>).
/// </summary>
internal sealed class ImportPartnershipSeedDataHandler(NpgsqlDataSource db, OutboxDispatcher outbox, TimeProvider clock)
    : IRequestHandler<ImportPartnershipSeedData, PartnershipImportReport>
{
    /// <summary>Rows committed together; a row that fails rolls back alone (its savepoint).</summary>
    private const int RowsPerCommit = 250;

    public async ValueTask<PartnershipImportReport> Handle(ImportPartnershipSeedData request, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var failures = new List<(int Line, string Message)>();
        var seedRows = new List<SeedRow>();
        var rows = 0;
        foreach (var (line, row) in CsvRows.Read(request.CsvPath))
        {
            rows++;
            var start = CsvRows.Date(row.Field("partnership__start_date"));
            var end = CsvRows.Date(row.Field("partnership__end_date"));
            var years = (row.Field("partnership__academic_years_active") ?? "")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(y => int.TryParse(y, NumberStyles.None, CultureInfo.InvariantCulture, out var year) ? year : 0)
                .Where(y => y > 0).ToArray();
            if (new PartnershipTerms(start, end, years).Errors().FirstOrDefault()?.Message is { } problem)
            {
                failures.Add((line, problem));
                continue;
            }

            seedRows.Add(new SeedRow(line, row.Field("partnership__accredited_provider_provider_code"), row.Field("partnership__training_partner_provider_code"), start!.Value, end, years, 1));
        }

        int created = 0, updated = 0, unchanged = 0, done = 0;
        await using var batch = new RowBatchTransaction(db, RowsPerCommit);
        foreach (var seed in SeedRow.MergeOverlapping(seedRows))
        {
            try
            {
                var result = await ImportRowAsync(batch, seed.AccreditedCode, seed.PartnerCode, seed.Start, seed.End, seed.Years, cancellationToken);
                switch (result)
                {
                    case "created":
                        created++;
                        break;
                    case "updated":
                        updated++;
                        break;
                    case "unchanged":
                        unchanged++;
                        break;
                    default:
                        failures.Add((seed.Line, result[7..]));
                        break;
                }

                // The rows merged into this one changed nothing of their own.
                unchanged += result.StartsWith("fails", StringComparison.Ordinal) ? 0 : seed.Rows - 1;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ExclusionViolation)
            {
                failures.Add((seed.Line, "it overlaps another partnership of the same providers"));
            }

            if (++done % 50 == 0 || done == seedRows.Count)
            {
                request.Progress?.Report(new WorkProgress("partnerships", done, seedRows.Count, $"{created} created, {updated} updated, {failures.Count} failed"));
            }
        }

        await batch.CommitAsync(cancellationToken);
        await outbox.DispatchPendingAsync(PartnershipsModule.Schema, cancellationToken);
        return new PartnershipImportReport(rows, created, updated, unchanged,
            failures.OrderBy(f => f.Line).Select(f => $"partnerships line {f.Line}: {f.Message}").ToList(), stopwatch.Elapsed);
    }

    /// <summary>One partnership of the seed: a row, or the rows of one pair whose dates overlap, merged (<see cref="MergeOverlapping"/>).</summary>
    private sealed record SeedRow(int Line, string? AccreditedCode, string? PartnerCode, DateOnly Start, DateOnly? End, int[] Years, int Rows)
    {
        /// <summary>
        /// The seed lists some pairs twice with overlapping dates. Imported one after the other, each row would move the
        /// partnership's dates back and forth on every import; merged, they make one partnership (earliest start, latest
        /// end, every year) and a second import changes nothing. Periods of a pair that do not overlap stay apart.
        /// </summary>
        public static IEnumerable<SeedRow> MergeOverlapping(IEnumerable<SeedRow> rows)
        {
            foreach (var pair in rows.GroupBy(r => (r.AccreditedCode?.ToUpperInvariant(), r.PartnerCode?.ToUpperInvariant())))
            {
                SeedRow? current = null;
                foreach (var row in pair.OrderBy(r => r.Start).ThenBy(r => r.Line))
                {
                    if (current is not null && (current.End is null || row.Start <= current.End))
                    {
                        current = current with
                        {
                            Line = Math.Min(current.Line, row.Line),
                            End = current.End is null || row.End is null ? null : row.End > current.End ? row.End : current.End,
                            Years = current.Years.Union(row.Years).ToArray(),
                            Rows = current.Rows + 1,
                        };
                        continue;
                    }

                    if (current is not null)
                    {
                        yield return current;
                    }

                    current = row;
                }

                if (current is not null)
                {
                    yield return current;
                }
            }
        }
    }

    private async Task<string> ImportRowAsync(RowBatchTransaction batch, string? accreditedCode, string? partnerCode, DateOnly start, DateOnly? end, int[] years, CancellationToken ct) =>
        await batch.RunRowAsync(async tx =>
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
                    Id = Guid.CreateVersion7(now),
                    AccreditedProviderId = accredited.Value,
                    TrainingPartnerId = partner.Value,
                    StartDate = start,
                    EndDate = end,
                    AcademicYears = years.Distinct().Order().ToArray(),
                    CreatedAt = now,
                    UpdatedAt = now,
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
