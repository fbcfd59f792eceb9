namespace Register.Baseline.Endpoints;

/// <summary>
/// <c>GET /api/v3/partnerships?page[per_page]=&amp;page[page]=</c>: the same SQL as
/// src/Modules/Partnerships/Partnerships/Features/LeadProviderApi/Partnerships.cs (ListAsync), as PostgreSQL's statement log
/// shows it (bench/statements.sh): the token look-up (Tokens.cs) and the page (no count: the API has no meta), on one
/// connection. The body: <c>{"data":[{"id", "type":"partnership", "attributes":{columns}}]}</c>, column by column.
/// </summary>
internal static class LeadProviderPartnerships
{
    // $1 today, $2 lead provider, $3 cohorts (null: all), $4 updated since (null: any), $5 delivery partners (null: all), $6 per page, $7 offset.
    public const string Page = """
        SELECT sp.id, sp.cohort_year, s.urn, s.id AS school_id, dp.id AS delivery_partner_id, dp.name AS delivery_partner_name,
               s.induction_tutor_name, coalesce(s.induction_tutor_email, s.primary_contact_email, s.secondary_contact_email) AS induction_tutor_email,
               (SELECT count(*) FROM partnerships.training_periods tp
                WHERE tp.school_partnership_id = sp.id AND tp.started_on <= $1 AND (tp.finished_on IS NULL OR tp.finished_on >= $1)) AS participants_currently_training,
               sp.created_at, sp.api_updated_at
        FROM partnerships.school_partnerships sp
        JOIN partnerships.schools s ON s.id = sp.school_id
        JOIN partnerships.lead_provider_delivery_partners lpdp ON lpdp.id = sp.lead_provider_delivery_partner_id
        JOIN partnerships.delivery_partners dp ON dp.id = lpdp.delivery_partner_id
        WHERE sp.lead_provider_id = $2
          AND ($3::int[] IS NULL OR sp.cohort_year = ANY($3))
          AND ($4::timestamptz IS NULL OR sp.api_updated_at >= $4)
          AND ($5::uuid[] IS NULL OR dp.id = ANY($5))
        ORDER BY sp.created_at ASC, sp.id ASC
        LIMIT $6 OFFSET $7
        """;

    public static async Task HandleAsync(HttpContext http, Npgsql.NpgsqlDataSource db, Tokens tokens)
    {
        await using var connection = await db.OpenConnectionAsync();
        if (await tokens.CheckAsync(connection, http, "lead_provider_api") is not { } leadProvider)
        {
            await Db.Unauthorized(http);
            return;
        }

        var perPage = Math.Min(Db.Query(http, "page[per_page]", 100), 3000);
        var page = Db.Query(http, "page[page]", 1);
        var (names, rows) = await Db.RowsAsync(connection, Page, DateOnly.FromDateTime(DateTime.UtcNow), leadProvider, (int[]?)null, (DateTime?)null,
            (Guid[]?)null, perPage, (long)(page - 1) * perPage);
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
