namespace Register.Baseline.Endpoints;

/// <summary>
/// <c>GET /api/v1/providers?per_page=&amp;page=</c>: the same SQL as src/Modules/Providers/Providers/Features/ProvidersApi/ListProvidersV1.cs,
/// as PostgreSQL's statement log shows it (bench/statements.sh), on one connection: the token (Tokens.cs, kept 10 s as
/// Register keeps it), the count capped at 10,001 and the page (a page + 1 rows, OFFSET). For a long list (Lists.cs: more
/// than 10,000 providers) the total is counted once and kept 30 s, and a page whose first row Lists.cs remembers is a seek
/// from it, as Register's LongLists. The body: <c>{"data":[provider columns], "pagination":{...}}</c>, column by column:
/// the columns the API shows (<see cref="Shown"/>; the others the query reads are for Register's domain type).
/// </summary>
internal static class ProvidersV1List
{
    private static readonly HashSet<string> Shown =
        ["rotp_id", "operating_name", "legal_name", "provider_type", "accreditation_status", "code", "ukprn", "urn", "created_at", "updated_at", "archived_at"];

    private const string Where = "deleted_at IS NULL AND ($1::timestamptz IS NULL OR updated_at >= $1)";

    // $1 changed since (null: all); Register writes the cap into the text.
    public const string CappedCount = $"SELECT count(*) FROM (SELECT 1 FROM providers.providers WHERE {Where} LIMIT 10001) c";

    // $1 changed since (null: all).
    public const string Count = $"SELECT count(*) FROM providers.providers WHERE {Where}";

    private const string Columns =
        "id, rotp_id, operating_name, legal_name, provider_type, accreditation_status, code, ukprn, urn, onboarded_on, first_active_on, " +
        "inactive_periods::text AS inactive_periods_json, archived_at, deleted_at, seed_data_with_issues, created_at, updated_at";

    // $1 changed since (null: all), $2 per page + 1, $3 offset.
    public const string Page = $"SELECT {Columns} FROM providers.providers WHERE {Where} ORDER BY updated_at, id LIMIT $2 OFFSET $3";

    // $1 changed since (null: all), $2 per page + 1, $3 offset (0), $4, $5 the remembered first row (updated_at, id) of the page.
    public const string SeekPage = $"SELECT {Columns} FROM providers.providers WHERE {Where} AND (updated_at, id) >= ($4, $5) ORDER BY updated_at, id LIMIT $2 OFFSET $3";

    private sealed record PageStart(object UpdatedAt, Guid Id);

    public static async Task HandleAsync(HttpContext http, Npgsql.NpgsqlDataSource db, Tokens tokens, Lists lists)
    {
        await using var connection = await db.OpenConnectionAsync();
        if (await tokens.CheckAsync(connection, http, "providers_api") is null)
        {
            await Db.Unauthorized(http);
            return;
        }

        var perPage = Math.Min(Db.Query(http, "per_page", 100), 1000);
        var page = Db.Query(http, "page", 1);
        const string list = "providers-v1 * "; // as Register's key: no changed_since, no academic year
        var start = lists.StartOf<PageStart>(list, page, perPage);
        var total = await lists.TotalAsync(list, limit => Db.CountAsync(connection, limit is null ? Count : CappedCount, (DateTime?)null));
        var (names, rows) = start is null
            ? await Db.RowsAsync(connection, Page, (DateTime?)null, perPage + 1, (page - 1) * perPage)
            : await Db.RowsAsync(connection, SeekPage, (DateTime?)null, perPage + 1, 0, start.UpdatedAt, start.Id);
        if (rows.Count > 0)
        {
            var updatedAt = Array.IndexOf(names, "updated_at");
            lists.Served(list, page, perPage, new PageStart(rows[0][updatedAt]!, (Guid)rows[0][0]!),
                rows.Count > perPage ? new PageStart(rows[^1][updatedAt]!, (Guid)rows[^1][0]!) : null);
        }

        await Json.RespondAsync(http, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("data");
            foreach (var row in rows.Take(perPage))
            {
                json.WriteStartObject();
                for (var i = 0; i < names.Length; i++)
                {
                    if (Shown.Contains(names[i]))
                    {
                        json.WritePropertyName(names[i]);
                        Json.WriteValue(json, row[i]);
                    }
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("pagination");
            json.WriteNumber("page", page);
            json.WriteNumber("per_page", perPage);
            json.WriteNumber("total_count", total);
            json.WriteNumber("total_pages", (total + perPage - 1) / perPage);
            json.WriteNull("next_cursor");
            json.WriteEndObject();
            json.WriteEndObject();
        });
    }
}
