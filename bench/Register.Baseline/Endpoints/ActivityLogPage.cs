namespace Register.Baseline.Endpoints;

/// <summary>
/// <c>GET /support/activity?page=</c>: the same SQL as src/Modules/ActivityLog/ActivityLog/Features/Timelines/ListActivity.cs
/// (with Timeline.cs and BuildingBlocks/Http/LongLists.cs), as PostgreSQL's statement log shows it (bench/statements.sh), on
/// one connection, 25 a page: the token (Tokens.cs, kept 10 s as Register keeps it); the count capped at 10,001 (for a long
/// timeline, Lists.cs: the full count once, kept 30 s); for a page after the first, its first row, from Lists.cs when it
/// remembers where the page started (a long timeline), else by the index-only OFFSET query; then the page (a seek from
/// that row). The body: <c>{"items":[item columns], "pagination":{...}}</c>, column by column.
/// </summary>
internal static class ActivityLogPage
{
    public const int PageSize = 25;

    // $1 the cap (10,001).
    public const string CappedCount = "SELECT count(*) FROM (SELECT 1 FROM activity_log.activity_items i WHERE true LIMIT $1) c";

    public const string Count = "SELECT count(*) FROM (SELECT 1 FROM activity_log.activity_items i WHERE true) c";

    // $1 the rows before the page.
    public const string Anchor = "SELECT i.occurred_at, i.event_id FROM activity_log.activity_items i WHERE true ORDER BY i.occurred_at DESC, i.event_id DESC OFFSET $1 LIMIT 1";

    // $1, $2 the page's first row (occurred_at, event_id), $3 a page + 1.
    public const string Page = """
        SELECT i.event_id, i.occurred_at, i.record_type, i.record_id, i.action, i.actor_type, i.actor_id, i.actor_name, i.changes::text AS changes, i.record_name,
               coalesce((SELECT json_agg(json_build_object('id', p.id, 'name', p.operating_name, 'deleted', p.deleted))
                         FROM activity_log.provider_names p WHERE p.id = ANY(i.provider_ids)), '[]')::text AS providers
        FROM activity_log.activity_items i
        WHERE true AND (i.occurred_at, i.event_id) <= ($1, $2)
        ORDER BY i.occurred_at DESC, i.event_id DESC
        LIMIT $3
        """;

    // $1 a page + 1.
    public const string FirstPage = """
        SELECT i.event_id, i.occurred_at, i.record_type, i.record_id, i.action, i.actor_type, i.actor_id, i.actor_name, i.changes::text AS changes, i.record_name,
               coalesce((SELECT json_agg(json_build_object('id', p.id, 'name', p.operating_name, 'deleted', p.deleted))
                         FROM activity_log.provider_names p WHERE p.id = ANY(i.provider_ids)), '[]')::text AS providers
        FROM activity_log.activity_items i
        WHERE true
        ORDER BY i.occurred_at DESC, i.event_id DESC
        LIMIT $1
        """;

    public static async Task HandleAsync(HttpContext http, Npgsql.NpgsqlDataSource db, Tokens tokens, Lists lists)
    {
        await using var connection = await db.OpenConnectionAsync();
        if (await tokens.CheckAsync(connection, http, "support") is null)
        {
            await Db.Unauthorized(http);
            return;
        }

        var page = Db.Query(http, "page", 1);
        const string list = "activity true "; // as Register's key: the condition and its (no) parameters
        var total = await lists.TotalAsync(list, limit => limit is null ? Db.CountAsync(connection, Count) : Db.CountAsync(connection, CappedCount, limit));
        string[] names;
        List<object?[]> rows;
        if (page == 1)
        {
            (names, rows) = await Db.RowsAsync(connection, FirstPage, PageSize + 1);
        }
        else if (lists.StartOf<object?[]>(list, page, PageSize) is { } start)
        {
            (names, rows) = await Db.RowsAsync(connection, Page, start[0], start[1], PageSize + 1);
        }
        else
        {
            var (_, anchor) = await Db.RowsAsync(connection, Anchor, (long)(page - 1) * PageSize);
            (names, rows) = anchor.Count == 0 ? ([], []) : await Db.RowsAsync(connection, Page, anchor[0][0], anchor[0][1], PageSize + 1);
        }

        if (rows.Count > 0)
        {
            // Where this page and the next start: (occurred_at, event_id), the page's first two columns.
            lists.Served(list, page, PageSize, new object?[] { rows[0][1], rows[0][0] }, rows.Count > PageSize ? new object?[] { rows[PageSize][1], rows[PageSize][0] } : null);
        }

        await Json.RespondAsync(http, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("items");
            foreach (var row in rows.Take(PageSize))
            {
                json.WriteStartObject();
                for (var i = 0; i < names.Length; i++)
                {
                    json.WritePropertyName(names[i]);
                    if (names[i] is "changes" or "providers" && row[i] is string raw)
                    {
                        json.WriteRawValue(raw, skipInputValidation: true);
                    }
                    else
                    {
                        Json.WriteValue(json, row[i]);
                    }
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("pagination");
            json.WriteNumber("page", page);
            json.WriteNumber("per_page", PageSize);
            json.WriteNumber("total_count", total);
            json.WriteNumber("total_pages", (total + PageSize - 1) / PageSize);
            json.WriteNull("next_cursor");
            json.WriteEndObject();
            json.WriteEndObject();
        });
    }
}
