using System.Globalization;
using Dapper;
using Microsoft.AspNetCore.Http;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;

namespace Register.Access.Features.ApiUsage;

/// <summary>
/// What the usage reports read: <c>access.api_client_usage</c> (already counted by London day, endpoint and status class)
/// joined to the clients that are not deleted, over a range of London days, for one client or one audience when asked.
/// Filtered by the table's primary key (client) or its <c>day</c> index: never a scan of every row kept.
/// </summary>
internal static class ApiUsageReport
{
    /// <summary>The days the reports cover when no <c>from</c> or <c>to</c> is given: the last 30, today included.</summary>
    public const int DefaultDays = 30;

    /// <summary>The longest range one request may ask for: what is kept (<c>ApiUsage:KeepMonths</c>, 13 months).</summary>
    public const int MaxMonths = 13;

    public sealed record Filter(DateOnly From, DateOnly To, Guid? ClientId, string? Audience);

    /// <summary>
    /// The filters of <c>from</c>, <c>to</c> (London days, inclusive; by default the last 30 days), <c>client_id</c> and
    /// <c>audience</c>, or the 400 (or 404, for a client that does not exist) naming the field and the rule.
    /// </summary>
    public static async Task<(Filter? Filter, ApiErrorResult? Error)> ParseAsync(
        string? from, string? to, string? clientId, string? audience, NpgsqlConnection connection, DateOnly today, CancellationToken ct)
    {
        if (!TryDay(from, out var fromDay))
        {
            return (null, ApiErrors.BadRequest("from must be a date in the format YYYY-MM-DD, between 2000 and 2100", "from"));
        }

        if (!TryDay(to, out var toDay))
        {
            return (null, ApiErrors.BadRequest("to must be a date in the format YYYY-MM-DD, between 2000 and 2100", "to"));
        }

        var end = toDay ?? today;
        var start = fromDay ?? end.AddDays(-(DefaultDays - 1));
        if (start > end)
        {
            return (null, ApiErrors.BadRequest("from must be on or before to", "from"));
        }

        if (end > start.AddMonths(MaxMonths))
        {
            return (null, ApiErrors.BadRequest($"to must be at most {MaxMonths} months after from", "to"));
        }

        if (audience is not null && !ApiAudiences.All.Contains(audience))
        {
            return (null, ApiErrors.BadRequest($"audience is not included in the list ({string.Join(", ", ApiAudiences.All)})", "audience"));
        }

        Guid? client = null;
        if (clientId is not null)
        {
            if (!Guid.TryParseExact(clientId, "D", out var id))
            {
                return (null, ApiErrors.BadRequest("client_id must be a UUID, such as 3fa85f64-5717-4562-b3fc-2c963f66afa6", "client_id"));
            }

            if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM access.api_clients WHERE id = @id AND deleted_at IS NULL)", new { id }, cancellationToken: ct)))
            {
                return (null, ApiErrors.Result(StatusCodes.Status404NotFound, "client_id does not match an API client", "client_id"));
            }

            client = id;
        }

        return (new Filter(start, end, client, audience), null);
    }

    private const string Where =
        "c.deleted_at IS NULL AND (@ClientId::uuid IS NULL OR c.id = @ClientId) AND (@Audience::text IS NULL OR c.audience = @Audience)";

    /// <summary>A page of the counts: newest day first, then by client name, endpoint and status class.</summary>
    public static async Task<(IReadOnlyList<UsageRow> Rows, long Total)> RowsAsync(NpgsqlConnection connection, Filter filter, PageRequest paging, CancellationToken ct)
    {
        var parameters = new { filter.From, filter.To, filter.ClientId, filter.Audience, paging.PerPage, paging.Offset };
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT count(*) FROM access.api_client_usage u JOIN access.api_clients c ON c.id = u.client_id WHERE u.day BETWEEN @From AND @To AND {Where}",
            parameters, cancellationToken: ct));
        var rows = await connection.QueryAsync<UsageRow>(new CommandDefinition(
            $"""
            SELECT u.client_id, c.name AS client_name, c.audience, c.organisation_id, u.day, u.endpoint, u.status_class, u.requests
            FROM access.api_client_usage u JOIN access.api_clients c ON c.id = u.client_id
            WHERE u.day BETWEEN @From AND @To AND {Where}
            ORDER BY u.day DESC, lower(c.name), c.id, u.endpoint, u.status_class
            LIMIT @PerPage OFFSET @Offset
            """,
            parameters, cancellationToken: ct));
        return (rows.AsList(), total);
    }

    /// <summary>
    /// Every client the filter names (those that made no request in the range too), by name, with its requests and errors
    /// (4xx and 5xx) in the range, and from <paramref name="recentFrom"/> on when asked (the dashboard's week).
    /// </summary>
    public static async Task<IReadOnlyList<ClientTotals>> ClientsAsync(NpgsqlConnection connection, Filter filter, DateOnly? recentFrom, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<ClientTotals>(new CommandDefinition(
            $"""
            SELECT c.id, c.name, c.audience, c.organisation_id, c.expires_on, c.revoked_at, c.last_used_at, c.created_at,
                   coalesce(s.requests, 0) AS requests, coalesce(s.errors, 0) AS errors,
                   coalesce(s.recent_requests, 0) AS recent_requests, coalesce(s.recent_errors, 0) AS recent_errors
            FROM access.api_clients c
            LEFT JOIN (
                SELECT client_id, sum(requests)::bigint AS requests, coalesce(sum(requests) FILTER (WHERE status_class >= 4), 0)::bigint AS errors,
                       coalesce(sum(requests) FILTER (WHERE day >= @RecentFrom), 0)::bigint AS recent_requests,
                       coalesce(sum(requests) FILTER (WHERE day >= @RecentFrom AND status_class >= 4), 0)::bigint AS recent_errors
                FROM access.api_client_usage WHERE day BETWEEN @From AND @To GROUP BY client_id
            ) s ON s.client_id = c.id
            WHERE {Where}
            ORDER BY lower(c.name), c.id
            """,
            new { filter.From, filter.To, filter.ClientId, filter.Audience, RecentFrom = recentFrom ?? filter.To.AddDays(1) }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>Errors over requests, to four places; none without requests.</summary>
    public static double? ErrorRate(long requests, long errors) => requests == 0 ? null : Math.Round((double)errors / requests, 4);

    public static string StatusClass(short statusClass) => $"{statusClass}xx";

    private static bool TryDay(string? value, out DateOnly? day)
    {
        day = null;
        if (value is null)
        {
            return true;
        }

        var ok = DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) && parsed.Year is >= 2000 and <= 2100;
        day = ok ? parsed : null;
        return ok;
    }

    internal sealed record UsageRow
    {
        public Guid ClientId { get; init; }

        public string ClientName { get; init; } = "";

        public string Audience { get; init; } = "";

        public Guid? OrganisationId { get; init; }

        public DateOnly Day { get; init; }

        public string Endpoint { get; init; } = "";

        public short StatusClass { get; init; }

        public int Requests { get; init; }
    }

    internal sealed record ClientTotals
    {
        public Guid Id { get; init; }

        public string Name { get; init; } = "";

        public string Audience { get; init; } = "";

        public Guid? OrganisationId { get; init; }

        public DateOnly ExpiresOn { get; init; }

        public DateTimeOffset? RevokedAt { get; init; }

        public DateTimeOffset? LastUsedAt { get; init; }

        public DateTimeOffset CreatedAt { get; init; }

        public long Requests { get; init; }

        public long Errors { get; init; }

        public long RecentRequests { get; init; }

        public long RecentErrors { get; init; }

        public string Status(DateOnly today) => RevokedAt is not null ? "revoked" : ExpiresOn < today ? "expired" : "active";
    }
}

/// <summary>The London days a usage answer covers (inclusive).</summary>
internal sealed record UsagePeriod(DateOnly From, DateOnly To);

/// <summary>One count: a client's requests on one London day to one endpoint (its route pattern) that were answered with one status class.</summary>
internal sealed record ApiUsageResponse(
    Guid ClientId, string ClientName, string Audience, Guid? OrganisationId, DateOnly Day, string Endpoint, string StatusClass, int Requests);

internal sealed record ApiUsagePage(IReadOnlyList<ApiUsageResponse> Data, UsagePeriod Period, Pagination Pagination);

/// <param name="Errors">The 4xx and 5xx answers.</param>
/// <param name="ErrorRate">Errors over requests (0 to 1, to four places); null when the client made no request in the period.</param>
/// <param name="LastUsedAt">When the client's token was last used (to the day), whatever the period.</param>
internal sealed record ApiClientUsageResponse(
    Guid ClientId, string Name, string Audience, Guid? OrganisationId, string Status, long Requests, long Errors, double? ErrorRate, DateTimeOffset? LastUsedAt);

internal sealed record ApiClientUsagePage(IReadOnlyList<ApiClientUsageResponse> Data, UsagePeriod Period);
