using System.Text.Json;

namespace Register.Baseline.Endpoints;

/// <summary>
/// <c>GET /api/{version}/trainees?per_page=&amp;page=</c>: the same SQL as src/Modules/Trainees/Trainees/Features/Trainees/ListTrainees.cs
/// (with Domain/TraineeStore.cs, Api/TraineeViews.cs and BuildingBlocks/Http/LongLists.cs), as PostgreSQL's statement log shows
/// it (bench/statements.sh), on one connection. The token (Tokens.cs) is kept in memory for 10 s as Register keeps it, and
/// Register's provider look-up is kept too (so a warm request runs neither). Round trip 1: the capped count and the page
/// (a page + 1 rows) in one batch; for a long list (Lists.cs: more than 10,000 rows) the total is kept 30 s and the page
/// alone is read, from the remembered first row of the page when there is one (a seek), else past the earlier pages' keys
/// (the LATERAL index walk). Round trip 2: its degrees and its placements in one batch.
/// The body: <c>{"data":[trainee columns + "degrees" + "placements"], "meta":{...}}</c>, column by column.
/// </summary>
internal static class TraineeList
{
    private const string Columns = """
        t.id, t.slug, t.provider_id, t.state, t.record_source, t.provider_trainee_id, t.application_id, t.hesa_id, t.first_names, t.middle_names,
        t.last_name, t.previous_last_name, t.date_of_birth, t.ni_number, t.email, t.sex, t.nationality, t.ethnicity, t.disabilities, t.itt_aim,
        t.itt_qualification_aim, t.training_route, t.course_subject_1, t.course_subject_2, t.course_subject_3, t.study_mode, t.course_age_range,
        t.course_year, t.fund_code, t.funding_method, t.iqts_country, t.training_initiative, t.additional_training_initiative, t.itt_start_date,
        t.itt_end_date, t.trainee_start_date, t.pg_apprenticeship_start_date, t.start_academic_year, t.training_partner_id, t.employing_school_urn,
        t.trn, t.submitted_for_trn_at, t.outcome_date, t.recommended_for_award_at, t.awarded_at, t.defer_date, t.defer_reason, t.reinstate_date,
        t.withdrawal_date, t.withdrawal_trigger, t.withdrawal_future_interest, t.withdrawal_reasons, t.withdrawal_another_reason,
        t.withdrawal_safeguarding_concern_reasons, t.created_at, t.updated_at, t.discarded_at, t.erased_at,
        tp.urn AS training_partner_urn, tp.ukprn AS training_partner_ukprn
        """;

    // $1 provider, $2 academic cycle (in every statement below).
    private const string Where = "t.provider_id = $1 AND t.discarded_at IS NULL AND t.state <> 'draft' AND t.start_academic_year = $2";
    private const string Order = "ORDER BY t.updated_at DESC, t.id DESC";

    // $3 the cap (10,001).
    public const string CappedCount = $"SELECT count(*) FROM (SELECT 1 FROM trainees.trainees t WHERE {Where} LIMIT $3) c";

    public const string Count = $"SELECT count(*) FROM (SELECT 1 FROM trainees.trainees t WHERE {Where}) c";

    // $3 a page + 1.
    public const string FirstPage = $"SELECT {Columns} FROM trainees.trainees t LEFT JOIN trainees.providers tp ON tp.id = t.training_partner_id WHERE {Where} {Order} LIMIT $3";

    // $3 a page + 1, $4 the rows before the page.
    public const string Page = $"""
        SELECT {Columns} FROM (SELECT t.updated_at, t.id FROM trainees.trainees t WHERE {Where} {Order} OFFSET $4 LIMIT 1) s
        CROSS JOIN LATERAL (SELECT t.* FROM trainees.trainees t WHERE {Where}
            AND (t.updated_at, t.id) <= (s.updated_at, s.id) {Order} LIMIT $3) t
         LEFT JOIN trainees.providers tp ON tp.id = t.training_partner_id {Order}
        """;

    // $3 a page + 1, $4, $5 the remembered first row (updated_at, id) of the page.
    public const string SeekPage =
        $"SELECT {Columns} FROM trainees.trainees t LEFT JOIN trainees.providers tp ON tp.id = t.training_partner_id WHERE {Where} AND (t.updated_at, t.id) <= ($4, $5) {Order} LIMIT $3";

    // $1 the page's trainee ids (one batch with Placements).
    public const string Degrees =
        "SELECT id, slug, trainee_id, locale_code, subject, subject_uuid, institution, institution_uuid, uk_degree, uk_degree_uuid, non_uk_degree, grade, grade_uuid, " +
        "other_grade, country, graduation_year, created_at, updated_at FROM trainees.degrees WHERE trainee_id = ANY($1) ORDER BY trainee_id, created_at, id";

    // $1 the page's trainee ids.
    public const string Placements =
        "SELECT p.id, p.slug, p.trainee_id, p.urn, COALESCE(s.name, p.name) AS name, COALESCE(s.postcode, p.postcode) AS postcode, p.school_id, " +
        "p.created_at, p.updated_at FROM trainees.placements p LEFT JOIN trainees.schools s ON s.id = p.school_id WHERE p.trainee_id = ANY($1) ORDER BY p.trainee_id, p.created_at, p.id";

    private sealed record PageStart(object UpdatedAt, Guid Id);

    public static async Task HandleAsync(HttpContext http, Npgsql.NpgsqlDataSource db, Tokens tokens, Lists lists)
    {
        await using var connection = await db.OpenConnectionAsync();
        if (await tokens.CheckAsync(connection, http, "trainees_api") is not { } provider)
        {
            await Db.Unauthorized(http);
            return;
        }

        var today = DateTime.UtcNow;
        var cycle = today.Month >= 8 ? today.Year : today.Year - 1;
        var perPage = Math.Min(Db.Query(http, "per_page", 50), 1000);
        var page = Db.Query(http, "page", 1);
        // As Register's key: everything that selects and orders the rows (here only the provider and the cycle vary).
        var list = $"trainees {provider} {cycle} DESC";
        var start = lists.StartOf<PageStart>(list, page, perPage);
        var (sql, values) = page == 1 ? (FirstPage, new object?[] { provider, cycle, perPage + 1 })
            : start is not null ? (SeekPage, [provider, cycle, perPage + 1, start.UpdatedAt, start.Id])
            : (Page, [provider, cycle, perPage + 1, (long)(page - 1) * perPage]);
        string[] names = [];
        List<object?[]>? rows = null;
        var total = await lists.TotalAsync(list, async limit =>
        {
            if (limit is null)
            {
                return await Db.CountAsync(connection, Count, provider, cycle);
            }

            var results = await Db.BatchAsync(connection, (CappedCount, [provider, cycle, limit]), (sql, values));
            (names, rows) = results[1];
            return Convert.ToInt64(results[0].Rows[0][0], System.Globalization.CultureInfo.InvariantCulture);
        });
        if (rows is null)
        {
            (names, rows) = total == 0 ? ([], []) : await Db.RowsAsync(connection, sql, values);
        }

        if (rows.Count > 0)
        {
            var updatedAt = Array.IndexOf(names, "updated_at");
            lists.Served(list, page, perPage, new PageStart(rows[0][updatedAt]!, (Guid)rows[0][0]!),
                rows.Count > perPage ? new PageStart(rows[perPage][updatedAt]!, (Guid)rows[perPage][0]!) : null);
            rows = rows.Take(perPage).ToList();
        }

        var ids = rows.Select(r => (Guid)r[0]!).ToArray();
        var parts = ids.Length == 0 ? [([], []), ([], [])] : await Db.BatchAsync(connection, (Degrees, [ids]), (Placements, [ids]));
        var (degreeNames, degrees) = parts[0];
        var (placementNames, placements) = parts[1];
        var degreesOf = degrees.ToLookup(d => (Guid)d[2]!);
        var placementsOf = placements.ToLookup(p => (Guid)p[2]!);
        await Json.RespondAsync(http, rows.Count == 0 ? StatusCodes.Status404NotFound : StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("data");
            foreach (var row in rows)
            {
                json.WriteStartObject();
                for (var i = 0; i < names.Length; i++)
                {
                    json.WritePropertyName(names[i]);
                    Json.WriteValue(json, row[i]);
                }

                WriteAll(json, "degrees", degreeNames, degreesOf[(Guid)row[0]!]);
                WriteAll(json, "placements", placementNames, placementsOf[(Guid)row[0]!]);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("meta");
            json.WriteNumber("current_page", page);
            json.WriteNumber("total_pages", (total + perPage - 1) / perPage);
            json.WriteNumber("total_count", total);
            json.WriteNumber("per_page", perPage);
            json.WriteEndObject();
            json.WriteEndObject();
        });
    }

    private static void WriteAll(Utf8JsonWriter json, string name, string[] names, IEnumerable<object?[]> rows)
    {
        json.WriteStartArray(name);
        foreach (var row in rows)
        {
            Json.WriteRow(json, names, row);
        }

        json.WriteEndArray();
    }
}
