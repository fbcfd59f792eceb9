namespace Register.Baseline.Endpoints;

/// <summary>
/// <c>GET /support/activity?page=</c>: the same SQL as src/Modules/ActivityLog/ActivityLog/Features/Timelines/ListActivity.cs
/// (with Timeline.cs), as PostgreSQL's statement log shows it (bench/statements.sh): the token look-up (Tokens.cs), the
/// count, the page's first row (pages after the first) and the page, on one connection, 25 a page. The body:
/// <c>{"items":[item columns], "pagination":{...}}</c>, column by column.
/// </summary>
internal static class ActivityLogPage
{
    public const int PageSize = 25;

    public const string Count = "SELECT count(*) FROM activity_log.activity_items i WHERE true";

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

    public static async Task HandleAsync(HttpContext http, Npgsql.NpgsqlDataSource db, Tokens tokens)
    {
        await using var connection = await db.OpenConnectionAsync();
        if (await tokens.CheckAsync(connection, http, "support") is null)
        {
            await Db.Unauthorized(http);
            return;
        }

        var page = Db.Query(http, "page", 1);
        var total = await Db.CountAsync(connection, Count);
        string[] names;
        List<object?[]> rows;
        if (page == 1)
        {
            (names, rows) = await Db.RowsAsync(connection, FirstPage, PageSize + 1);
        }
        else
        {
            var (_, anchor) = await Db.RowsAsync(connection, Anchor, (long)(page - 1) * PageSize);
            (names, rows) = anchor.Count == 0 ? ([], []) : await Db.RowsAsync(connection, Page, anchor[0][0], anchor[0][1], PageSize + 1);
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
