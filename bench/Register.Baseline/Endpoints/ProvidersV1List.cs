namespace Register.Baseline.Endpoints;

/// <summary>
/// <c>GET /api/v1/providers?per_page=&amp;page=</c>: the same SQL as src/Modules/Providers/Providers/Features/ProvidersApi/ListProvidersV1.cs,
/// as PostgreSQL's statement log shows it (bench/statements.sh): the token look-up (Tokens.cs), the count and the page, on one
/// connection. The body: <c>{"data":[provider columns], "pagination":{...}}</c>, column by column: the columns the API shows
/// (<see cref="Shown"/>; the others the query reads are for Register's domain type).
/// </summary>
internal static class ProvidersV1List
{
    private static readonly HashSet<string> Shown =
        ["rotp_id", "operating_name", "legal_name", "provider_type", "accreditation_status", "code", "ukprn", "urn", "created_at", "updated_at", "archived_at"];

    // $1 changed since (null: all).
    public const string Count = "SELECT count(*) FROM providers.providers WHERE deleted_at IS NULL AND ($1::timestamptz IS NULL OR updated_at >= $1)";

    // $1 changed since (null: all), $2 per page + 1, $3 offset.
    public const string Page = """
        SELECT id, rotp_id, operating_name, legal_name, provider_type, accreditation_status, code, ukprn, urn, onboarded_on, first_active_on, inactive_periods::text AS inactive_periods_json, archived_at, deleted_at, seed_data_with_issues, created_at, updated_at
        FROM providers.providers WHERE deleted_at IS NULL AND ($1::timestamptz IS NULL OR updated_at >= $1) ORDER BY updated_at, id LIMIT $2 OFFSET $3
        """;

    public static async Task HandleAsync(HttpContext http, Npgsql.NpgsqlDataSource db, Tokens tokens)
    {
        await using var connection = await db.OpenConnectionAsync();
        if (await tokens.CheckAsync(connection, http, "providers_api") is null)
        {
            await Db.Unauthorized(http);
            return;
        }

        var perPage = Math.Min(Db.Query(http, "per_page", 100), 1000);
        var page = Db.Query(http, "page", 1);
        var total = await Db.CountAsync(connection, Count, (DateTime?)null);
        var (names, rows) = await Db.RowsAsync(connection, Page, (DateTime?)null, perPage + 1, (page - 1) * perPage);
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
