using System.Diagnostics;
using Dapper;
using Mediator;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Csv;
using Register.Partnerships.Contracts;

namespace Register.Partnerships.Features.SeedImport;

/// <summary>
/// Answers <see cref="ImportSchools"/>: each GIAS row upserted by URN in its own statement. A change to what lead
/// providers see (name, status, type) moves the school's <c>updated_at</c>; an unchanged row changes nothing.
/// </summary>
internal sealed class ImportSchoolsHandler(NpgsqlDataSource db, TimeProvider clock) : IRequestHandler<ImportSchools, SchoolImportReport>
{
    public async ValueTask<SchoolImportReport> Handle(ImportSchools request, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var failures = new List<string>();
        int rows = 0, created = 0, updated = 0;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        foreach (var (line, row) in CsvRows.Read(request.CsvPath))
        {
            rows++;
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
            var outcome = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                """
                INSERT INTO partnerships.schools (id, urn, name, gias_status, type_name, in_england, section_41_approved, created_at, updated_at)
                VALUES (@id, @urn, @name, @status, @type, @inEngland, @section41, @now, @now)
                ON CONFLICT (urn) DO UPDATE SET name = excluded.name, gias_status = excluded.gias_status, type_name = excluded.type_name,
                    in_england = excluded.in_england, section_41_approved = excluded.section_41_approved, updated_at = excluded.updated_at
                WHERE (partnerships.schools.name, partnerships.schools.gias_status, partnerships.schools.type_name, partnerships.schools.in_england,
                       partnerships.schools.section_41_approved)
                      IS DISTINCT FROM (excluded.name, excluded.gias_status, excluded.type_name, excluded.in_england, excluded.section_41_approved)
                RETURNING CASE WHEN created_at = @now THEN 'created' ELSE 'updated' END
                """,
                new
                {
                    id = Guid.CreateVersion7(now), urn, name, status, type, now,
                    inEngland = !(row.Field("GOR (name)") ?? "").Contains("Wales", StringComparison.OrdinalIgnoreCase),
                    section41 = string.Equals(row.Field("Section41Approved (name)"), "Approved", StringComparison.OrdinalIgnoreCase),
                }, cancellationToken: cancellationToken));
            created += outcome == "created" ? 1 : 0;
            updated += outcome == "updated" ? 1 : 0;
        }

        return new SchoolImportReport(rows, created, updated, rows - created - updated - failures.Count, failures, stopwatch.Elapsed);
    }

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
