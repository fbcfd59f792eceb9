using System.Diagnostics;
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
/// Answers <see cref="ImportSchools"/>: each GIAS row upserted by URN in its own statement. A change to what lead
/// providers see (name, status, type) moves the school's <c>updated_at</c>; an unchanged row changes nothing. A new or changed
/// school is announced (<see cref="SchoolChanged"/>) once the whole file is in.
/// </summary>
internal sealed class ImportSchoolsHandler(TransactionRunner transactions, OutboxDispatcher outbox, TimeProvider clock) : IRequestHandler<ImportSchools, SchoolImportReport>
{
    public async ValueTask<SchoolImportReport> Handle(ImportSchools request, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var report = await transactions.RunWithoutDispatchAsync(PartnershipsModule.Schema, tx => ImportAsync(tx, request.CsvPath, request.Progress, cancellationToken), cancellationToken);
        await outbox.DispatchPendingAsync(PartnershipsModule.Schema, cancellationToken);
        return report with { Elapsed = stopwatch.Elapsed };
    }

    private async Task<SchoolImportReport> ImportAsync(NpgsqlTransaction tx, string path, IProgress<WorkProgress>? progress, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        var changed = new List<Guid>();
        int rows = 0, created = 0;
        var total = progress is null ? (int?)null : CsvRows.Read(path).Count();
        foreach (var (line, row) in CsvRows.Read(path))
        {
            rows++;
            if (rows % 100 == 0 || rows == total)
            {
                progress?.Report(new WorkProgress("schools", rows, total, $"{changed.Count} created or updated, {failures.Count} failed"));
            }

            var urn = row.Field("URN");
            var name = row.Field("EstablishmentName");
            var type = row.Field("TypeOfEstablishment (name)");
            var status = Status(row.Field("EstablishmentStatus (name)"));
            if (urn is null || !urn.All(char.IsAsciiDigit) || urn.Length is < 5 or > 6 || name is null || type is null || status is null)
            {
                failures.Add($"schools line {line}: needs a 5 or 6 digit URN, a name, a type and a known status");
                continue;
            }

            var now = clock.UtcNowForDatabase();
            var outcome = await tx.Connection!.QuerySingleOrDefaultAsync<Upserted>(new CommandDefinition(
                """
                INSERT INTO partnerships.schools (id, urn, name, gias_status, type_name, in_england, section_41_approved, postcode, created_at, updated_at)
                VALUES (@id, @urn, @name, @status, @type, @inEngland, @section41, @postcode, @now, @now)
                ON CONFLICT (urn) DO UPDATE SET name = excluded.name, gias_status = excluded.gias_status, type_name = excluded.type_name,
                    in_england = excluded.in_england, section_41_approved = excluded.section_41_approved, postcode = excluded.postcode,
                    updated_at = CASE WHEN (partnerships.schools.name, partnerships.schools.gias_status, partnerships.schools.type_name,
                                            partnerships.schools.in_england, partnerships.schools.section_41_approved)
                                           IS DISTINCT FROM (excluded.name, excluded.gias_status, excluded.type_name, excluded.in_england, excluded.section_41_approved)
                                      THEN excluded.updated_at ELSE partnerships.schools.updated_at END
                WHERE (partnerships.schools.name, partnerships.schools.gias_status, partnerships.schools.type_name, partnerships.schools.in_england,
                       partnerships.schools.section_41_approved, partnerships.schools.postcode)
                      IS DISTINCT FROM (excluded.name, excluded.gias_status, excluded.type_name, excluded.in_england, excluded.section_41_approved, excluded.postcode)
                RETURNING id, created_at = @now AS created
                """,
                new
                {
                    id = Guid.CreateVersion7(now),
                    urn,
                    name,
                    status,
                    type,
                    now,
                    inEngland = !(row.Field("GOR (name)") ?? "").Contains("Wales", StringComparison.OrdinalIgnoreCase),
                    section41 = string.Equals(row.Field("Section41Approved (name)"), "Approved", StringComparison.OrdinalIgnoreCase),
                    postcode = row.Field("Postcode")?.ToUpperInvariant(),
                }, tx, cancellationToken: cancellationToken));
            if (outcome is not null)
            {
                changed.Add(outcome.Id);
                created += outcome.Created ? 1 : 0;
            }
        }

        await SchoolChanges.EnqueueAsync(tx, changed, clock.UtcNowForDatabase(), cancellationToken);
        var updated = changed.Count - created;
        return new SchoolImportReport(rows, created, updated, rows - changed.Count - failures.Count, failures, TimeSpan.Zero);
    }

    private sealed record Upserted(Guid Id, bool Created);

    /// <summary>GIAS's status names, as the register stores them.</summary>
    private static string? Status(string? gias) => gias?.ToLowerInvariant() switch
    {
        "open" => "open",
        "closed" => "closed",
        "open, but proposed to close" => "proposed_to_close",
        "proposed to open" => "proposed_to_open",
        _ => null,
    };
}
