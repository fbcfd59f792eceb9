using System.Text.Json;

namespace Register.Baseline.Endpoints;

/// <summary>
/// <c>GET /api/{version}/trainees?per_page=&amp;page=</c>: the same SQL as src/Modules/Trainees/Trainees/Features/Trainees/ListTrainees.cs
/// (with Domain/TraineeStore.cs and Api/TraineeViews.cs), as PostgreSQL's statement log shows it (bench/statements.sh):
/// the token look-up (Tokens.cs), the provider look-up, the count, the page, its degrees and its placements, on one connection.
/// The body: <c>{"data":[trainee columns + "degrees" + "placements"], "meta":{...}}</c>, column by column.
/// </summary>
internal static class TraineeList
{
    public const string Provider = "SELECT id, code, name, provider_type, ukprn, urn, archived, deleted FROM trainees.providers WHERE id = $1";

    // $1 provider, $2 academic cycle.
    public const string Count =
        "SELECT count(*) FROM trainees.trainees t WHERE t.provider_id = $1 AND t.discarded_at IS NULL AND t.state <> 'draft' AND t.start_academic_year = $2";

    // $1 provider, $2 academic cycle, $3 per page, $4 offset.
    public const string Page = """
        SELECT t.id, t.slug, t.provider_id, t.state, t.record_source, t.provider_trainee_id, t.application_id, t.hesa_id, t.first_names, t.middle_names,
        t.last_name, t.previous_last_name, t.date_of_birth, t.ni_number, t.email, t.sex, t.nationality, t.ethnicity, t.disabilities, t.itt_aim,
        t.itt_qualification_aim, t.training_route, t.course_subject_1, t.course_subject_2, t.course_subject_3, t.study_mode, t.course_age_range,
        t.course_year, t.fund_code, t.funding_method, t.iqts_country, t.training_initiative, t.additional_training_initiative, t.itt_start_date,
        t.itt_end_date, t.trainee_start_date, t.pg_apprenticeship_start_date, t.start_academic_year, t.training_partner_id, t.employing_school_urn,
        t.trn, t.submitted_for_trn_at, t.outcome_date, t.recommended_for_award_at, t.awarded_at, t.defer_date, t.defer_reason, t.reinstate_date,
        t.withdrawal_date, t.withdrawal_trigger, t.withdrawal_future_interest, t.withdrawal_reasons, t.withdrawal_another_reason,
        t.withdrawal_safeguarding_concern_reasons, t.created_at, t.updated_at, t.discarded_at, t.erased_at,
        tp.urn AS training_partner_urn, tp.ukprn AS training_partner_ukprn FROM trainees.trainees t LEFT JOIN trainees.providers tp ON tp.id = t.training_partner_id
        WHERE t.provider_id = $1 AND t.discarded_at IS NULL AND t.state <> 'draft' AND t.start_academic_year = $2 ORDER BY t.updated_at DESC, t.id DESC LIMIT $3 OFFSET $4
        """;

    // $1 the page's trainee ids.
    public const string Degrees =
        "SELECT id, slug, trainee_id, locale_code, subject, subject_uuid, institution, institution_uuid, uk_degree, uk_degree_uuid, non_uk_degree, grade, grade_uuid, " +
        "other_grade, country, graduation_year, created_at, updated_at FROM trainees.degrees WHERE trainee_id = ANY($1) ORDER BY trainee_id, created_at, id";

    // $1 the page's trainee ids.
    public const string Placements =
        "SELECT p.id, p.slug, p.trainee_id, p.urn, COALESCE(s.name, p.name) AS name, COALESCE(s.postcode, p.postcode) AS postcode, p.school_id, " +
        "p.created_at, p.updated_at FROM trainees.placements p LEFT JOIN trainees.schools s ON s.id = p.school_id WHERE p.trainee_id = ANY($1) ORDER BY p.trainee_id, p.created_at, p.id";

    public static async Task HandleAsync(HttpContext http, Npgsql.NpgsqlDataSource db, Tokens tokens)
    {
        await using var connection = await db.OpenConnectionAsync();
        if (await tokens.CheckAsync(connection, http, "trainees_api") is not { } provider)
        {
            await Db.Unauthorized(http);
            return;
        }

        await Db.RowsAsync(connection, Provider, provider);
        var today = DateTime.UtcNow;
        var cycle = today.Month >= 8 ? today.Year : today.Year - 1;
        var perPage = Math.Min(Db.Query(http, "per_page", 50), 1000);
        var page = Db.Query(http, "page", 1);
        var total = await Db.CountAsync(connection, Count, provider, cycle);
        var (names, rows) = await Db.RowsAsync(connection, Page, provider, cycle, perPage, (page - 1) * perPage);
        var ids = rows.Select(r => (Guid)r[0]!).ToArray();
        var (degreeNames, degrees) = await Db.RowsAsync(connection, Degrees, ids);
        var (placementNames, placements) = await Db.RowsAsync(connection, Placements, ids);
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
