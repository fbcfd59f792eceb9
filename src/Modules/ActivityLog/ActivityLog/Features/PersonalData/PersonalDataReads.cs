using Dapper;
using Microsoft.AspNetCore.Http;
using Npgsql;
using Register.ActivityLog.Features.Timelines;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Security;
using Register.Trainees.Contracts;

namespace Register.ActivityLog.Features.PersonalData;

/// <summary>
/// Support's reads of trainees' personal data, recorded (ADR 16): every timeline support reads (the API's and the pages')
/// that shows a trainee's items shows the values of its changes, so each such answer records, per trainee shown, who read
/// it (the support API client or the person signed in), when, and what they asked for. The row is written before the
/// answer goes out: a read that cannot be recorded fails. The trainee API's own reads (a provider's own data) are not support's.
/// </summary>
internal static class PersonalDataReads
{
    public const int PageSize = 25;

    private const int MaxPathLength = 1000;

    /// <summary>The trainees whose items a page of a timeline shows (a degree's or placement's item is its trainee's).</summary>
    public static IEnumerable<Guid> TraineesIn(Timeline.TimelinePage page) =>
        page.Data.SelectMany(d => d.Items).Where(i => TraineeRecords.Types.Contains(i.RecordType)).Select(i => i.RecordId);

    /// <summary>Records that the caller of <paramref name="http"/> read these trainees' data, now.</summary>
    public static async Task RecordAsync(NpgsqlDataSource db, TimeProvider clock, HttpContext http, IEnumerable<Guid> trainees, CancellationToken ct)
    {
        var ids = trainees.Distinct().ToArray();
        if (ids.Length == 0)
        {
            return;
        }

        var reader = Caller.From(http.User)?.Actor ?? SignedInUser.From(http.User)?.Actor
            ?? throw new InvalidOperationException("A support read has a support API client or a signed-in person behind it.");
        var now = clock.UtcNowForDatabase();
        var path = (http.Request.Path + http.Request.QueryString).ToString();
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO activity_log.personal_data_reads (id, read_at, actor_type, actor_id, actor_name, record_type, record_id, path)
            SELECT r.id, @now, @actorType, @actorId, @actorName, @recordType, r.record_id, @path FROM unnest(@readIds, @ids) AS r(id, record_id)
            """,
            new
            {
                now,
                actorType = reader.Type,
                actorId = reader.Id,
                actorName = reader.Name,
                recordType = TraineeRecords.Trainee,
                path = path.Length > MaxPathLength ? path[..MaxPathLength] : path,
                readIds = ids.Select(_ => EventIds.Next(now)).ToArray(),
                ids,
            },
            cancellationToken: ct));
    }

    public sealed record Read
    {
        public Guid Id { get; init; }

        public DateTimeOffset ReadAt { get; init; }

        public string ActorType { get; init; } = "";

        public Guid? ActorId { get; init; }

        public string ActorName { get; init; } = "";

        public string RecordType { get; init; } = "";

        public Guid RecordId { get; init; }

        public string Path { get; init; } = "";
    }

    /// <summary>One page of the reads, newest first, and how many there are.</summary>
    public static async Task<(IReadOnlyList<Read> Reads, long Total)> PageAsync(NpgsqlDataSource db, int page, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM activity_log.personal_data_reads", cancellationToken: ct));
        var reads = await connection.QueryAsync<Read>(new CommandDefinition(
            """
            SELECT id, read_at, actor_type, actor_id, actor_name, record_type, record_id, path FROM activity_log.personal_data_reads
            ORDER BY read_at DESC, id DESC LIMIT @limit OFFSET @offset
            """,
            new { limit = PageSize, offset = (long)(page - 1) * PageSize }, cancellationToken: ct));
        return (reads.AsList(), total);
    }
}
