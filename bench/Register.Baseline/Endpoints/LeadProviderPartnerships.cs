namespace Register.Baseline.Endpoints;

/// <summary>
/// <c>GET /api/v3/partnerships?page[per_page]=&amp;page[page]=</c>: the same SQL as
/// src/Modules/Partnerships/Partnerships/Features/LeadProviderApi/Partnerships.cs (ListAsync, default sort, no filters), as
/// PostgreSQL's statement log shows it (bench/statements.sh), on one connection: the token (Tokens.cs, kept 10 s as
/// Register keeps it); when a page reaches past row 10,000 and its start is not remembered, the count capped at 10,001 (a
/// long list is remembered as long for 30 s, Lists.cs); then the page-first query (a page + 1 rows), with OFFSET, or for a
/// remembered page of a long list a seek from its first row (no count: the API has no meta). The body:
/// <c>{"data":[{"id", "type":"partnership", "attributes":{columns}}]}</c>, column by column.
/// </summary>
internal static class LeadProviderPartnerships
{
    // $1 lead provider, $2 the cap (10,001).
    public const string CappedCount = "SELECT count(*) FROM (SELECT 1 FROM partnerships.school_partnerships sp WHERE sp.lead_provider_id = $1 LIMIT $2) c";

    // $1 lead provider, $2 today, $3 per page + 1, $4 offset; {seek} the seek (none, or from $5 created_at and $6 id).
    private const string PageSql = """
        WITH page AS (
            SELECT sp.id, sp.school_id, sp.lead_provider_delivery_partner_id, sp.cohort_year, sp.created_at, sp.api_updated_at
            FROM partnerships.school_partnerships sp
            WHERE sp.lead_provider_id = $1{seek}
            ORDER BY sp.created_at ASC, sp.id ASC
            LIMIT $3 OFFSET $4)
        SELECT page.id, page.cohort_year, s.urn, s.id AS school_id, dp.id AS delivery_partner_id, dp.name AS delivery_partner_name,
               s.induction_tutor_name, coalesce(s.induction_tutor_email, s.primary_contact_email, s.secondary_contact_email) AS induction_tutor_email,
               coalesce(training.participants, 0) AS participants_currently_training, page.created_at, page.api_updated_at
        FROM page
        JOIN partnerships.schools s ON s.id = page.school_id
        JOIN partnerships.lead_provider_delivery_partners lpdp ON lpdp.id = page.lead_provider_delivery_partner_id
        JOIN partnerships.delivery_partners dp ON dp.id = lpdp.delivery_partner_id
        LEFT JOIN (SELECT tp.school_partnership_id, count(*) AS participants
                   FROM partnerships.training_periods tp
                   WHERE tp.school_partnership_id IN (SELECT id FROM page)
                     AND tp.started_on <= $2 AND (tp.finished_on IS NULL OR tp.finished_on >= $2)
                   GROUP BY tp.school_partnership_id) training ON training.school_partnership_id = page.id
        ORDER BY page.created_at ASC, page.id ASC
        """;

    public static readonly string Page = PageSql.Replace("{seek}", "", StringComparison.Ordinal);

    public static readonly string SeekPage = PageSql.Replace("{seek}", " AND sp.created_at >= $5 AND (sp.created_at > $5 OR sp.id >= $6)", StringComparison.Ordinal);

    private sealed record PageStart(object CreatedAt, Guid Id);

    public static async Task HandleAsync(HttpContext http, Npgsql.NpgsqlDataSource db, Tokens tokens, Lists lists)
    {
        await using var connection = await db.OpenConnectionAsync();
        if (await tokens.CheckAsync(connection, http, "lead_provider_api") is not { } leadProvider)
        {
            await Db.Unauthorized(http);
            return;
        }

        var perPage = Math.Min(Db.Query(http, "page[per_page]", 100), 3000);
        var page = Db.Query(http, "page[page]", 1);
        var list = $"lead-provider-partnerships {leadProvider} * * * +c"; // as Register's key: no filters, the default sort
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var offset = (long)(page - 1) * perPage;
        var start = lists.StartOf<PageStart>(list, page, perPage);
        if (start is null && offset + perPage > Lists.ExactUpTo)
        {
            await lists.IsLongAsync(list, limit => Db.CountAsync(connection, CappedCount, leadProvider, limit));
        }

        var (names, rows) = start is null
            ? await Db.RowsAsync(connection, Page, leadProvider, today, perPage + 1, offset)
            : await Db.RowsAsync(connection, SeekPage, leadProvider, today, perPage + 1, 0L, start.CreatedAt, start.Id);
        if (rows.Count > 0)
        {
            var createdAt = Array.IndexOf(names, "created_at");
            lists.Served(list, page, perPage, new PageStart(rows[0][createdAt]!, (Guid)rows[0][0]!),
                rows.Count > perPage ? new PageStart(rows[perPage][createdAt]!, (Guid)rows[perPage][0]!) : null);
            rows = rows.Take(perPage).ToList();
        }

        await Json.RespondAsync(http, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("data");
            foreach (var row in rows)
            {
                json.WriteStartObject();
                json.WriteString("id", (Guid)row[0]!);
                json.WriteString("type", "partnership");
                json.WriteStartObject("attributes");
                for (var i = 1; i < names.Length; i++)
                {
                    json.WritePropertyName(names[i]);
                    Json.WriteValue(json, row[i]);
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }
}
