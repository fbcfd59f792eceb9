using System.Globalization;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Register.ActivityLog.Features.PersonalData;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Http;

namespace Register.ActivityLog.Features.Timelines;

/// <summary>
/// What every timeline shares: newest first, 25 a page, grouped by London day ("Today", "Yesterday",
/// "20 May 2025"), each item with its headline ("Provider accreditation added"), byline ("By Jane Smith on
/// 21 May 2025 at 2:22pm") and changes. Deep pages stay fast: a page is found by an index-only seek to its
/// first row, and <c>cursor</c> (from <c>next_cursor</c>) is pure keyset pagination.
/// </summary>
internal static class Timeline
{
    public const int PageSize = 25;
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    internal sealed record Filter(string Where, object Parameters)
    {
        /// <summary>The timeline's name for <see cref="LongLists"/>: its condition and every value of its parameters.</summary>
        public string Key => "activity " + Where + " " + string.Join(' ', Parameters.GetType().GetProperties().Select(p => p.Name + "=" + Text(p.GetValue(Parameters))));

        private static string Text(object? value) => value switch
        {
            null => "null",
            string text => text,
            System.Collections.IEnumerable many => "[" + string.Join(',', many.Cast<object?>().Select(Text)) + "]",
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
    }

    internal sealed record Change(string Field, string? OldValue, string? NewValue);

    internal sealed record ActorResponse(string Type, Guid? Id, string Name);

    internal sealed record ProviderName(Guid Id, string Name, [property: System.Text.Json.Serialization.JsonIgnore] bool Deleted = false);

    internal sealed record Item(
        Guid Id, DateTimeOffset OccurredAt, string RecordType, Guid RecordId, string Action, string Headline, string Byline,
        ActorResponse Actor, IReadOnlyList<ProviderName> Providers, IReadOnlyList<Change> Changes,
        [property: System.Text.Json.Serialization.JsonIgnore] string? RecordName = null);

    internal sealed record Day(DateOnly Date, string Heading, IReadOnlyList<Item> Items);

    internal sealed record TimelinePagination(int Page, int PerPage, long TotalCount, int TotalPages, string? NextCursor);

    internal sealed record TimelinePage(IReadOnlyList<Day> Data, TimelinePagination Pagination);

    private sealed record Anchor
    {
        public Anchor()
        {
        }

        public Anchor(DateTimeOffset occurredAt, Guid eventId) => (OccurredAt, EventId) = (occurredAt, eventId);

        public DateTimeOffset OccurredAt { get; init; }

        public Guid EventId { get; init; }
    }

    private sealed record Row
    {
        public Guid EventId { get; init; }

        public DateTimeOffset OccurredAt { get; init; }

        public string RecordType { get; init; } = "";

        public Guid RecordId { get; init; }

        public string Action { get; init; } = "";

        public string ActorType { get; init; } = "";

        public Guid? ActorId { get; init; }

        public string ActorName { get; init; } = "";

        public string Changes { get; init; } = "[]";

        public string Providers { get; init; } = "[]";

        public string? RecordName { get; init; }
    }

    /// <summary>
    /// A page of the timeline for the support API, recording that the caller read the personal data of the trainees it shows
    /// (and of <paramref name="trainee"/>, the record asked for, even when it shows nothing).
    /// </summary>
    public static async Task<IResult> PageAsync(
        NpgsqlDataSource db, TimeProvider clock, Filter filter, string? page, string? cursor, HttpContext http, CancellationToken ct, Guid? trainee = null)
    {
        var outcome = await LoadAsync(db, http.RequestServices.GetRequiredService<LongLists>(), clock, filter, page, cursor, ct);
        if (outcome.Value is { } timeline)
        {
            await PersonalDataReads.RecordAsync(db, clock, http, PersonalDataReads.TraineesIn(timeline).Concat(trainee is { } id ? [id] : []), ct);
        }

        return outcome.ToApiResult(timeline => TypedResults.Ok(timeline));
    }

    /// <summary>
    /// A page of the timeline (by <c>page</c> or by <c>cursor</c>), or a 400 for a page or cursor that is not one. The total and
    /// the start of a numbered page are as <see cref="LongLists"/> keeps them (ADR 27): exact for a timeline of up to its
    /// <c>ExactUpTo</c> items, up to its <c>Freshness</c> old for a longer one.
    /// </summary>
    public static async Task<Outcome<TimelinePage>> LoadAsync(
        NpgsqlDataSource db, LongLists lists, TimeProvider clock, Filter filter, string? page, string? cursor, CancellationToken ct)
    {
        if (!PageRequest.TryParse(page, null, PageSize, PageSize, out var paging, out var error))
        {
            return error!;
        }

        (DateTimeOffset At, Guid Id)? after = null;
        if (cursor is not null)
        {
            if (!Cursor.TryDecode(cursor, out var cursorAt, out var cursorId))
            {
                return ApiErrors.BadRequest("cursor is not one this API gave out: use the next_cursor of a previous page", "cursor");
            }

            after = (cursorAt, cursorId);
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        var parameters = new DynamicParameters(filter.Parameters);
        var list = filter.Key;
        var total = await lists.TotalAsync(list, async limit =>
        {
            var countParameters = new DynamicParameters(parameters);
            countParameters.Add("countLimit", limit);
            return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                $"SELECT count(*) FROM (SELECT 1 FROM activity_log.activity_items i WHERE {filter.Where}{(limit is null ? "" : " LIMIT @countLimit")}) c",
                countParameters, cancellationToken: ct));
        });

        // The page's first row: from the cursor, where this process remembers the page started, or by an index-only seek past
        // the earlier pages.
        var start = after;
        var inclusive = false;
        if (start is null && paging.Page > 1 && lists.StartOf<Anchor>(list, paging.Page, PageSize) is { } remembered)
        {
            start = (remembered.OccurredAt, remembered.EventId);
            inclusive = true;
        }
        else if (start is null && paging.Page > 1)
        {
            parameters.Add("skip", paging.Offset);
            var anchor = await connection.QueryFirstOrDefaultAsync<Anchor>(new CommandDefinition(
                $"SELECT i.occurred_at, i.event_id FROM activity_log.activity_items i WHERE {filter.Where} ORDER BY i.occurred_at DESC, i.event_id DESC OFFSET @skip LIMIT 1",
                parameters, cancellationToken: ct));
            if (anchor is null)
            {
                return new TimelinePage([], new TimelinePagination(paging.Page, PageSize, total, (int)((total + PageSize - 1) / PageSize), null));
            }

            start = (anchor.OccurredAt, anchor.EventId);
            inclusive = true;
        }

        parameters.Add("startAt", start?.At);
        parameters.Add("startId", start?.Id);
        parameters.Add("limit", PageSize + 1);
        var seek = start is null ? "" : inclusive ? " AND (i.occurred_at, i.event_id) <= (@startAt, @startId)" : " AND (i.occurred_at, i.event_id) < (@startAt, @startId)";
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            SELECT i.event_id, i.occurred_at, i.record_type, i.record_id, i.action, i.actor_type, i.actor_id, i.actor_name, i.changes::text AS changes, i.record_name,
                   coalesce((SELECT json_agg(json_build_object('id', p.id, 'name', p.operating_name, 'deleted', p.deleted))
                             FROM activity_log.provider_names p WHERE p.id = ANY(i.provider_ids)), '[]')::text AS providers
            FROM activity_log.activity_items i
            WHERE {filter.Where}{seek}
            ORDER BY i.occurred_at DESC, i.event_id DESC
            LIMIT @limit
            """,
            parameters, cancellationToken: ct))).AsList();

        var more = rows.Count > PageSize;
        var shown = rows.Take(PageSize).ToList();
        var today = clock.TodayInLondon();
        var days = shown
            .Select(ToItem)
            .GroupBy(i => LondonDay(i.OccurredAt))
            .Select(g => new Day(g.Key, Heading(g.Key, today), g.ToList()))
            .ToList();
        var nextCursor = more ? Cursor.Encode(shown[^1].OccurredAt, shown[^1].EventId) : null;
        if (after is null && shown.Count > 0)
        {
            lists.Served(list, paging.Page, PageSize, new Anchor(shown[0].OccurredAt, shown[0].EventId), more ? new Anchor(rows[PageSize].OccurredAt, rows[PageSize].EventId) : null);
        }

        var pageNumber = after is null ? paging.Page : 0;
        return new TimelinePage(days, new TimelinePagination(pageNumber, PageSize, total, (int)((total + PageSize - 1) / PageSize), nextCursor));
    }

    public static string Heading(DateOnly day, DateOnly today) =>
        day == today ? "Today" : day == today.AddDays(-1) ? "Yesterday" : day.ToString("d MMMM yyyy", English);

    public static string Byline(string actor, DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, LondonTime.London);
        var hour = local.Hour % 12 == 0 ? 12 : local.Hour % 12;
        return string.Create(English, $"By {actor} on {local:d MMMM yyyy} at {hour}:{local:mm}{(local.Hour < 12 ? "am" : "pm")}");
    }

    public static string Headline(string recordType, string action)
    {
        var label = recordType switch
        {
            "provider" => "Provider",
            "accreditation" => "Provider accreditation",
            "address" => "Provider address",
            "contact" => "Provider contact",
            "partnership" => "Provider partnership",
            "api_client" => "API client",
            "user" => "User",
            "trainee" => "Trainee",
            "degree" => "Trainee degree",
            "placement" => "Trainee placement",
            "trainee_upload" => "Trainee CSV upload",
            "school_partnership" => "Partnership",
            _ => char.ToUpperInvariant(recordType[0]) + recordType[1..].Replace('_', ' '),
        };
        var verb = action switch
        {
            "created" => "added",
            "trn_received" => "given a TRN",
            "trs_request_retried" => "TRS request retried",
            _ => action.Replace('_', ' '),
        };
        return $"{label} {verb}";
    }

    private static Item ToItem(Row row) => new(
        row.EventId, row.OccurredAt, row.RecordType, row.RecordId, row.Action, Headline(row.RecordType, row.Action), Byline(row.ActorName, row.OccurredAt),
        new ActorResponse(row.ActorType, row.ActorId, row.ActorName),
        JsonSerializer.Deserialize<List<ProviderName>>(row.Providers, RegisterJson.Options) ?? [],
        JsonSerializer.Deserialize<List<Change>>(row.Changes, RegisterJson.Options) ?? [],
        row.RecordName);

    private static DateOnly LondonDay(DateTimeOffset at) => LondonTime.DayOf(at);
}
