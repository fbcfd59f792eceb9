using Dapper;
using Npgsql;
using Register.BuildingBlocks.Http;

namespace Register.Trainees.Features.TrsQueue;

/// <summary>
/// What support sees of the work Register owes TRS (<c>trainees.trs_requests</c>, issue 16): the open requests (not
/// completed), each in one of three states, decided here and only here:
/// <list type="bullet">
/// <item><c>failed</c>: TRS refused it in a way a retry cannot change (<c>failed_at</c>); it waits for support to retry it.</item>
/// <item><c>stuck</c>: still being tried, but it needs a look: <see cref="StuckAttempts"/> or more attempts and an error kept; or a
/// potential duplicate TRS's staff have had for more than <see cref="StuckDuplicate"/> (counted from when TRS accepted the TRN
/// request); or due more than <see cref="StuckOverdue"/> ago and not done (the worker is not running, or TRS is switched off).</item>
/// <item><c>pending</c>: every other open request: waiting as it should.</item>
/// </list>
/// A potential duplicate (TRS answered <c>Pending</c> with <c>potentialDuplicate</c>) is a flag beside the state, and a filter of
/// its own. Reads only the table's columns: the worker writes them. Shows no personal data: a trainee is its <c>trainee_id</c>.
/// </summary>
internal static class TrsQueue
{
    public const string Pending = "pending";
    public const string Stuck = "stuck";
    public const string Failed = "failed";
    public const string PotentialDuplicate = "potential_duplicate";

    /// <summary>The values of the <c>state</c> filter: the three states, and the potential duplicates (whatever their state).</summary>
    public static readonly IReadOnlyList<string> StateFilters = [Pending, Stuck, Failed, PotentialDuplicate];

    /// <summary>The kinds of request (migrations/trainees/0007).</summary>
    public static readonly IReadOnlyList<string> Kinds = ["trn", "route", "award", "personal_data"];

    public const int StuckAttempts = 5;

    public static readonly TimeSpan StuckDuplicate = TimeSpan.FromDays(2);

    public static readonly TimeSpan StuckOverdue = TimeSpan.FromHours(1);

    public const int DefaultPerPage = 25;

    public const int MaxPerPage = 100;

    /// <summary>The state of an open request <c>r</c>, with the parameters of <see cref="StateParameters"/>.</summary>
    private const string StateSql =
        """
        CASE WHEN r.failed_at IS NOT NULL THEN 'failed'
             WHEN (r.attempts >= @stuckAttempts AND r.last_error IS NOT NULL)
               OR (r.potential_duplicate AND coalesce(r.trn_requested_at, r.created_at) < @duplicateBefore)
               OR r.due_at < @overdueBefore THEN 'stuck'
             ELSE 'pending' END
        """;

    private static DynamicParameters StateParameters(DateTimeOffset now)
    {
        var parameters = new DynamicParameters();
        parameters.Add("stuckAttempts", StuckAttempts);
        parameters.Add("duplicateBefore", now - StuckDuplicate);
        parameters.Add("overdueBefore", now - StuckOverdue);
        return parameters;
    }

    /// <summary>Whole days since <paramref name="createdAt"/>.</summary>
    public static int DaysWaiting(DateTimeOffset createdAt, DateTimeOffset now) => Math.Max(0, (int)Math.Floor((now - createdAt).TotalDays));

    public static string KindLabel(string kind) => kind switch
    {
        "trn" => "TRN request",
        "route" => "Training route status",
        "award" => "Award",
        "personal_data" => "Personal data update",
        _ => kind,
    };

    public static string StateLabel(string state) => state switch
    {
        Pending => "Pending",
        Stuck => "Stuck",
        Failed => "Failed",
        PotentialDuplicate => "Potential duplicate",
        _ => state,
    };

    internal sealed record OpenByKind(int Trn, int Route, int Award, int PersonalData);

    internal sealed record OldestOpen(Guid Id, string Kind, DateTimeOffset CreatedAt, int DaysWaiting);

    /// <summary>The open requests: how many of each kind and state, and the oldest.</summary>
    internal sealed record Summary(int Open, OpenByKind OpenByKind, int Pending, int Stuck, int Failed, int PotentialDuplicates, OldestOpen? OldestOpen);

    internal sealed record SummaryEnvelope(Summary Data);

    internal sealed record ProviderRef(Guid Id, string? Name);

    /// <summary>An open request as support sees it (never what was sent to TRS).</summary>
    internal sealed record Request(
        Guid Id, string Kind, string State, string TraineeId, ProviderRef Provider, DateTimeOffset CreatedAt, DateTimeOffset DueAt, int Attempts,
        DateTimeOffset? LastAttemptAt, string? LastError, bool PotentialDuplicate, DateTimeOffset? TrnRequestedAt, DateTimeOffset? FailedAt, int DaysWaiting);

    internal sealed record RequestEnvelope(Request Data);

    /// <summary>The filters of the list: any of these states (see <see cref="StateFilters"/>) and any of these kinds; none is all.</summary>
    internal sealed record Filters(IReadOnlyList<string> States, IReadOnlyList<string> Kinds);

    /// <summary>
    /// Reads a filter given as a comma list (or repeated): null when every value is known, else the 400 naming the field.
    /// </summary>
    public static ApiErrorResult? TryParseList(IEnumerable<string?> given, string field, IReadOnlyList<string> allowed, out List<string> values)
    {
        values = given.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToList();
        var unknown = values.FirstOrDefault(v => !allowed.Contains(v));
        return unknown is null ? null : ApiErrors.BadRequest($"{field} is not included in the list ({string.Join(", ", allowed)})", field);
    }

    public static async Task<Summary> SummaryAsync(NpgsqlDataSource db, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var parameters = StateParameters(now);
        var counts = await connection.QuerySingleAsync<Counts>(new CommandDefinition(
            $"""
            SELECT count(*) AS open,
                   count(*) FILTER (WHERE kind = 'trn') AS trn, count(*) FILTER (WHERE kind = 'route') AS route,
                   count(*) FILTER (WHERE kind = 'award') AS award, count(*) FILTER (WHERE kind = 'personal_data') AS personal_data,
                   count(*) FILTER (WHERE state = 'pending') AS pending, count(*) FILTER (WHERE state = 'stuck') AS stuck,
                   count(*) FILTER (WHERE state = 'failed') AS failed, count(*) FILTER (WHERE potential_duplicate) AS potential_duplicates
            FROM (SELECT r.kind, r.potential_duplicate, {StateSql} AS state FROM trainees.trs_requests r WHERE r.completed_at IS NULL) q
            """,
            parameters, cancellationToken: ct));
        var oldest = await connection.QuerySingleOrDefaultAsync<Oldest>(new CommandDefinition(
            "SELECT id, kind, created_at FROM trainees.trs_requests WHERE completed_at IS NULL ORDER BY created_at, id LIMIT 1", cancellationToken: ct));
        return new Summary(
            (int)counts.Open, new OpenByKind((int)counts.Trn, (int)counts.Route, (int)counts.Award, (int)counts.PersonalData),
            (int)counts.Pending, (int)counts.Stuck, (int)counts.Failed, (int)counts.PotentialDuplicates,
            oldest is { } o ? new OldestOpen(o.Id, o.Kind, o.CreatedAt, DaysWaiting(o.CreatedAt, now)) : null);
    }

    /// <summary>A page of the open requests that pass the filters, oldest first, and how many pass.</summary>
    public static async Task<(IReadOnlyList<Request> Requests, long Total)> PageAsync(
        NpgsqlDataSource db, Filters filters, PageRequest paging, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var parameters = StateParameters(now);
        parameters.Add("states", filters.States.ToArray());
        parameters.Add("kinds", filters.Kinds.ToArray());
        parameters.Add("perPage", paging.PerPage);
        parameters.Add("offset", paging.Offset);
        var from =
            $"""
            FROM (SELECT r.*, {StateSql} AS state FROM trainees.trs_requests r WHERE r.completed_at IS NULL) q
            WHERE (cardinality(@states) = 0 OR q.state = ANY(@states) OR ('{PotentialDuplicate}' = ANY(@states) AND q.potential_duplicate))
              AND (cardinality(@kinds) = 0 OR q.kind = ANY(@kinds))
            """;
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) {from}", parameters, cancellationToken: ct));
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            SELECT q.id, q.kind, q.state, t.slug AS trainee_slug, t.provider_id, p.name AS provider_name, q.created_at, q.due_at, q.attempts,
                   q.last_attempt_at, q.last_error, q.potential_duplicate, q.trn_requested_at, q.failed_at
            FROM (SELECT q.* {from} ORDER BY q.created_at, q.id LIMIT @perPage OFFSET @offset) q
            JOIN trainees.trainees t ON t.id = q.trainee_id
            LEFT JOIN trainees.providers p ON p.id = t.provider_id
            ORDER BY q.created_at, q.id
            """,
            parameters, cancellationToken: ct));
        return (rows.Select(r => r.ToRequest(now)).ToList(), total);
    }

    /// <summary>One request, open or done (null when there is none), with the state it would have if open.</summary>
    public static async Task<(Request Request, bool Completed)?> FindAsync(NpgsqlConnection connection, Guid id, DateTimeOffset now, NpgsqlTransaction? tx, CancellationToken ct)
    {
        var parameters = StateParameters(now);
        parameters.Add("id", id);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"""
            SELECT r.id, r.kind, {StateSql} AS state, t.slug AS trainee_slug, t.provider_id, p.name AS provider_name, r.created_at, r.due_at, r.attempts,
                   r.last_attempt_at, r.last_error, r.potential_duplicate, r.trn_requested_at, r.failed_at, r.completed_at
            FROM trainees.trs_requests r JOIN trainees.trainees t ON t.id = r.trainee_id LEFT JOIN trainees.providers p ON p.id = t.provider_id
            WHERE r.id = @id
            """,
            parameters, tx, cancellationToken: ct));
        return row is null ? null : (row.ToRequest(now), row.CompletedAt is not null);
    }

    private sealed record Oldest
    {
        public Guid Id { get; init; }

        public string Kind { get; init; } = "";

        public DateTimeOffset CreatedAt { get; init; }
    }

    private sealed record Counts
    {
        public long Open { get; init; }

        public long Trn { get; init; }

        public long Route { get; init; }

        public long Award { get; init; }

        public long PersonalData { get; init; }

        public long Pending { get; init; }

        public long Stuck { get; init; }

        public long Failed { get; init; }

        public long PotentialDuplicates { get; init; }
    }

    private sealed record Row
    {
        public Guid Id { get; init; }

        public string Kind { get; init; } = "";

        public string State { get; init; } = "";

        public string TraineeSlug { get; init; } = "";

        public Guid ProviderId { get; init; }

        public string? ProviderName { get; init; }

        public DateTimeOffset CreatedAt { get; init; }

        public DateTimeOffset DueAt { get; init; }

        public int Attempts { get; init; }

        public DateTimeOffset? LastAttemptAt { get; init; }

        public string? LastError { get; init; }

        public bool PotentialDuplicate { get; init; }

        public DateTimeOffset? TrnRequestedAt { get; init; }

        public DateTimeOffset? FailedAt { get; init; }

        public DateTimeOffset? CompletedAt { get; init; }

        public Request ToRequest(DateTimeOffset now) => new(
            Id, Kind, State, TraineeSlug, new ProviderRef(ProviderId, ProviderName), CreatedAt, DueAt, Attempts, LastAttemptAt, LastError, PotentialDuplicate,
            TrnRequestedAt, FailedAt, DaysWaiting(CreatedAt, now));
    }
}
