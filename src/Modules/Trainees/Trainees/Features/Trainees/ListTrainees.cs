using System.Globalization;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Http;
using Register.Trainees.Api;
using Register.Trainees.Domain;

namespace Register.Trainees.Features.Trainees;

/// <summary>
/// <c>GET /api/{version}/trainees</c>: the provider's trainees of one academic cycle (the current one by default), newest
/// change first, 50 a page, with <c>meta</c>. Filters: <c>academic_cycle</c>, <c>since</c> (updated at or after),
/// <c>status</c> (one or <c>status[]</c>, OR-ed), <c>has_trn</c>, <c>sort_order</c>. No trainee is a 404 "No trainees found",
/// as SRS sync loops expect; a bad filter is a 422 naming it.
/// </summary>
internal static class ListTrainees
{
    public const int DefaultPerPage = 50;

    /// <summary>The most a page holds; a larger <c>per_page</c> is served as this many (the reference has no limit).</summary>
    public const int MaxPerPage = 1000;

    private static readonly string[] Statuses = ["course_not_yet_started", "in_training", "deferred", "awarded", "withdrawn"];

    public static void Map(TraineeApi api) =>
        api.Group.MapGet("/trainees", (HttpContext http, NpgsqlDataSource db, LongLists lists, TimeProvider clock, CancellationToken ct) => HandleAsync(http, api, db, lists, clock, ct))
            .WithName(api.Name("ListTrainees"))
            .WithSummary("The provider's trainees of an academic cycle, for sync")
            .WithQueryParameter("academic_cycle", "integer", "The start year of the academic cycle the trainees started in (2025 = 1 August 2025 to 31 July 2026); the current cycle when absent.")
            .WithQueryParameter("since", "string", "Only trainees changed at or after this date (YYYY-MM-DD) or time (ISO 8601, UTC when it has no offset).")
            .WithQueryParameter("status", "string", "Only trainees in these statuses (status=deferred, or status[]=deferred&status[]=withdrawn; any of them).", values: Statuses, isArray: true)
            .WithQueryParameter("has_trn", "string", "true: only trainees with a TRN; any other value: only those without one; absent: both.")
            .WithQueryParameter("sort_order", "string", "By updated_at: desc (the default) or asc.", values: ["asc", "desc"])
            .WithQueryParameter("page", "integer", "The page, from 1 (anything else is page 1).")
            .WithQueryParameter("per_page", "integer", $"Trainees a page: {DefaultPerPage} by default, at most {MaxPerPage}.")
            .Answers<TraineeList>(StatusCodes.Status200OK)
            .WithVersionedResponseExample(StatusCodes.Status200OK, v => new JsonObject
            {
                ["data"] = new JsonArray(TraineeExamples.Trainee(v)),
                ["meta"] = TraineeApiResults.Meta(Pagination.Of(1, DefaultPerPage, 1)),
            })
            .Answers<TraineeApiErrors>(StatusCodes.Status404NotFound)
            .Answers<FilterInvalid>(StatusCodes.Status422UnprocessableEntity);

    private static async Task<IResult> HandleAsync(HttpContext http, TraineeApi api, NpgsqlDataSource db, LongLists lists, TimeProvider clock, CancellationToken ct)
    {
        var query = http.Request.Query;
        var today = clock.TodayInLondon();
        var errors = new Dictionary<string, List<string>>();
        void Error(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }

            list.Add(message);
        }

        var statuses = query["status"].Concat(query["status[]"]).OfType<string>().Where(s => s.Length > 0).ToList();
        foreach (var status in statuses.Where(s => !Statuses.Contains(s)))
        {
            Error("status", $"{status} is not a valid status");
        }

        DateTimeOffset? since = null;
        if (query["since"].ToString() is { Length: > 0 } sinceText)
        {
            since = Since(sinceText);
            if (since is null)
            {
                Error("since", $"{sinceText} is not a valid date");
            }
        }

        var cycle = AcademicCycles.Of(today);
        if (query["academic_cycle"].ToString() is { Length: > 0 } cycleText)
        {
            if (int.TryParse(cycleText, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year >= 2015 && year <= cycle + 5)
            {
                cycle = year;
            }
            else
            {
                Error("academic_cycle", $"{cycleText} is not a valid academic cycle year");
            }
        }

        var sortOrder = query["sort_order"].ToString();
        if (sortOrder is not ("" or "asc" or "desc"))
        {
            Error("sort_order", "is not included in the list");
        }

        if (errors.Count > 0)
        {
            return TraineeApiResults.FilterInvalid(errors);
        }

        // As the reference (Kaminari): a page below 1 or not a number is page 1; a per_page of 0 or not a number shows nothing.
        var page = int.TryParse(query["page"], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var p) && p > 0 ? Math.Min(p, PageRequest.MaxPage) : 1;
        var perPage = query["per_page"].ToString() is { Length: > 0 } perPageText
            ? int.TryParse(perPageText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n < 0 ? DefaultPerPage : Math.Min(n, MaxPerPage) : 0
            : DefaultPerPage;
        if (perPage == 0)
        {
            return TraineeApiResults.NotFound("No trainees found");
        }

        var hasTrn = query["has_trn"].ToString() is { Length: > 0 } trnText ? trnText == "true" : (bool?)null;
        var where = new List<string> { TraineeStore.Listed, "t.start_academic_year = @cycle" };
        if (since is not null)
        {
            where.Add("t.updated_at >= @since");
        }

        if (hasTrn is { } trn)
        {
            where.Add(trn ? "t.trn IS NOT NULL" : "t.trn IS NULL");
        }

        if (statuses.Count > 0)
        {
            where.Add("(" + string.Join(" OR ", statuses.Distinct().Select(StatusCondition)) + ")");
        }

        var provider = http.TrainingProvider();
        var descending = sortOrder == "desc" || sortOrder.Length == 0 && !query.ContainsKey("sort_order");
        var direction = descending ? "DESC" : "ASC";
        var condition = string.Join(" AND ", where);

        // The list's name for LongLists: everything that selects and orders its rows (ADR 27). Today is in it for the statuses
        // that depend on it.
        var list = string.Join(
            ' ', "trainees", provider.Id, cycle, since?.UtcTicks, hasTrn, string.Join(',', statuses.Distinct().Order(StringComparer.Ordinal)), today, direction);

        // The page: from its first row when this process remembers it (a seek through trainees_listed), else past the earlier
        // pages' keys alone (an index-only walk) and then a seek. One row more than a page tells where the next page starts.
        var order = $"ORDER BY t.updated_at {direction}, t.id {direction}";
        var start = lists.StartOf<PageStart>(list, page, perPage);
        var sql = page == 1
            ? TraineeStore.Select(condition, $"{order} LIMIT @limit")
            : start is not null
                ? TraineeStore.Select($"{condition} AND (t.updated_at, t.id) {(descending ? "<=" : ">=")} (@startAt, @startId)", $"{order} LIMIT @limit")
                : TraineeStore.SelectFrom(
                    $"""
                    (SELECT t.updated_at, t.id FROM trainees.trainees t WHERE {condition} {order} OFFSET @offset LIMIT 1) s
                    CROSS JOIN LATERAL (SELECT t.* FROM trainees.trainees t WHERE {condition}
                        AND (t.updated_at, t.id) {(descending ? "<=" : ">=")} (s.updated_at, s.id) {order} LIMIT @limit) t
                    """,
                    order);
        var parameters = new
        {
            providerId = provider.Id,
            cycle,
            since,
            today,
            limit = perPage + 1,
            offset = new PageRequest(page, perPage).Offset,
            startAt = start?.UpdatedAt,
            startId = start?.Id,
        };

        await using var connection = await db.OpenConnectionAsync(ct);
        List<Trainee>? rows = null;
        var total = await lists.TotalAsync(list, async limit =>
        {
            var count = $"SELECT count(*) FROM (SELECT 1 FROM trainees.trainees t WHERE {condition}{(limit is null ? "" : " LIMIT @countLimit")}) c";
            if (limit is null)
            {
                return await connection.ExecuteScalarAsync<long>(new CommandDefinition(count, parameters, cancellationToken: ct));
            }

            // The capped count and the page in one round trip.
            var countParameters = new DynamicParameters(parameters);
            countParameters.Add("countLimit", limit);
            using var results = await connection.QueryMultipleAsync(new CommandDefinition($"{count};\n{sql}", countParameters, cancellationToken: ct));
            var capped = await results.ReadSingleAsync<long>();
            rows = (await results.ReadAsync<Trainee>()).AsList();
            return capped;
        });
        rows ??= total == 0 ? [] : (await connection.QueryAsync<Trainee>(new CommandDefinition(sql, parameters, cancellationToken: ct))).AsList();
        if (total == 0 || rows.Count == 0)
        {
            return TraineeApiResults.NotFound("No trainees found");
        }

        lists.Served(list, page, perPage, PageStart.Of(rows[0]), rows.Count > perPage ? PageStart.Of(rows[perPage]) : null);
        var trainees = rows.Count > perPage ? rows.GetRange(0, perPage) : rows;
        var views = await TraineeViews.ManyAsync(connection, trainees, provider, api.Version, null, ct);
        return TraineeApiResults.Ok(new JsonObject
        {
            ["data"] = new JsonArray(views.Select(v => (JsonNode?)v).ToArray()),
            ["meta"] = TraineeApiResults.Meta(Pagination.Of(page, perPage, total)),
        });
    }

    /// <summary>Where a page of the list starts: its first row's sort key.</summary>
    private sealed record PageStart(DateTimeOffset UpdatedAt, Guid Id)
    {
        public static PageStart Of(Trainee trainee) => new(trainee.UpdatedAt, trainee.Id);
    }

    private static string StatusCondition(string status) => status switch
    {
        "course_not_yet_started" => "(t.itt_start_date > @today AND t.state NOT IN ('draft', 'deferred', 'withdrawn'))",
        "in_training" => "(t.state IN ('submitted_for_trn', 'trn_received', 'recommended_for_award') AND t.itt_start_date <= @today)",
        _ => $"t.state = '{status}'",
    };

    /// <summary>An ISO 8601 date (the start of that day, UTC) or date and time.</summary>
    private static DateTimeOffset? Since(string text)
    {
        if (TraineeRules.IsoDate(text) is { } date && text.Length <= 10)
        {
            return new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        return text.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;
    }
}
