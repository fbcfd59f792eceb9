using System.Text.Json;
using Npgsql;

namespace Register.Baseline.Endpoints;

/// <summary>
/// <c>POST /api/{version}/trainees</c>: the rows that src/Modules/Trainees/Trainees/Features/Trainees/CreateTrainee.cs (with
/// Domain/TraineeCreation.cs) inserts, as PostgreSQL's statement log shows them (bench/statements.sh), in ONE transaction on
/// one connection: the trainee, its TRN request, its degree, its placement and its three outbox rows; after the token check
/// (Tokens.cs: kept 10 s, as Register keeps the client and the provider). Register also runs (not here): the advisory lock and the namesake query, the
/// re-reads of the degrees and placements, and the outbox dispatch after the response (an activity item and an update a
/// row). Register's inserts are INSERT ... SELECT FROM unnest(arrays) (one statement for a row or a thousand); these are the
/// plain single-row INSERT ... VALUES of the same columns. The TRN request is written completed and the outbox rows
/// dispatched, so that Register's workers, on the same database, leave the baseline's rows alone.
/// The body: the request's data with the new ids, 201.
/// </summary>
internal static class CreateTrainee
{
    public const string InsertTrainee = """
        INSERT INTO trainees.trainees (id, slug, provider_id, state, record_source, hesa_id, first_names, last_name, date_of_birth, email, sex,
            nationality, ethnicity, disabilities, itt_aim, itt_qualification_aim, training_route, course_subject_1, study_mode, course_age_range,
            course_year, fund_code, funding_method, training_initiative, itt_start_date, itt_end_date, trainee_start_date, start_academic_year,
            submitted_for_trn_at, created_at, updated_at)
        VALUES ($1, $2, $3, 'submitted_for_trn', 'api', $4, $5, $6, $7, $8, $9, $10, '997', '{}', $11, $12, $13, $14, $15, $16, $17, $18, $19,
            'no_initiative', $20, $21, $20, $22, $23, $23, $23)
        """;

    public const string InsertTrnRequest =
        "INSERT INTO trainees.trs_requests (id, trainee_id, kind, due_at, created_at, trn_request_id, completed_at) VALUES ($1, $2, 'trn', $3, $3, gen_random_uuid(), $3)";

    public const string InsertDegree = """
        INSERT INTO trainees.degrees (id, slug, trainee_id, locale_code, subject, subject_uuid, institution, institution_uuid, uk_degree, uk_degree_uuid,
            grade, grade_uuid, graduation_year, created_at, updated_at)
        VALUES ($1, $2, $3, 'uk', $4, '918170f0-5dce-e911-a985-000d3ab79618', $5, '1071f34a-2887-e711-80d8-005056ac45bb', $6,
            '1b6a5652-c197-e711-80d8-005056ac45bb', $7, 'e2fe18d4-8655-47cf-ab1a-8c3e0b0f078f', $8, $9, $9)
        """;

    public const string InsertPlacement =
        "INSERT INTO trainees.placements (id, slug, trainee_id, urn, name, created_at, updated_at) VALUES ($1, $2, $3, $4, 'Establishment does not have a URN', $5, $5)";

    public const string InsertOutbox = """
        INSERT INTO trainees.outbox (id, type, payload, occurred_at, dispatched_at)
        VALUES ($1, 'Register.Trainees.Contracts.TraineeChanged', $2::jsonb, $4, $4), (gen_random_uuid(), 'Register.Trainees.Contracts.TraineeChanged', $3::jsonb, $4, $4),
               (gen_random_uuid(), 'Register.Trainees.Contracts.TraineeChanged', $3::jsonb, $4, $4)
        """;

    public static async Task HandleAsync(HttpContext http, NpgsqlDataSource db, Tokens tokens)
    {
        using var body = await JsonDocument.ParseAsync(http.Request.Body);
        var data = body.RootElement.GetProperty("data");
        string S(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.ToString() : "";
        var degree = data.GetProperty("degrees_attributes")[0];
        var placement = data.GetProperty("placements_attributes")[0];
        var id = Guid.CreateVersion7();
        var slug = Guid.NewGuid().ToString("N")[..24];
        var now = DateTime.UtcNow;
        var start = DateOnly.Parse(S(data, "itt_start_date"), System.Globalization.CultureInfo.InvariantCulture);
        var payload = JsonSerializer.Serialize(new { eventId = id, occurredAt = now, recordType = "trainee", recordId = id, action = "created", changes = data });

        await using var connection = await db.OpenConnectionAsync();
        if (await tokens.CheckAsync(connection, http, "trainees_api") is not { } provider)
        {
            await Db.Unauthorized(http);
            return;
        }

        await using (var tx = await connection.BeginTransactionAsync())
        {
            await Db.ExecuteAsync(connection, InsertTrainee, id, slug, provider, S(data, "hesa_id"), S(data, "first_names"), S(data, "last_name"),
                DateOnly.Parse(S(data, "date_of_birth"), System.Globalization.CultureInfo.InvariantCulture), S(data, "email"), S(data, "sex"), S(data, "nationality"),
                S(data, "itt_aim"), S(data, "itt_qualification_aim"), S(data, "training_route"), S(data, "course_subject_1"), S(data, "study_mode"),
                S(data, "course_age_range"), int.Parse(S(data, "course_year"), System.Globalization.CultureInfo.InvariantCulture), S(data, "fund_code"),
                S(data, "funding_method"), start, DateOnly.Parse(S(data, "itt_end_date"), System.Globalization.CultureInfo.InvariantCulture),
                start.Month >= 8 ? start.Year : start.Year - 1, now);
            await Db.ExecuteAsync(connection, InsertTrnRequest, Guid.CreateVersion7(), id, now);
            await Db.ExecuteAsync(connection, InsertDegree, Guid.CreateVersion7(), Guid.NewGuid().ToString("N")[..24], id, S(degree, "subject"),
                S(degree, "institution"), S(degree, "uk_degree"), S(degree, "grade"), int.Parse(S(degree, "graduation_year"), System.Globalization.CultureInfo.InvariantCulture), now);
            await Db.ExecuteAsync(connection, InsertPlacement, Guid.CreateVersion7(), Guid.NewGuid().ToString("N")[..24], id, S(placement, "urn"), now);
            await Db.ExecuteAsync(connection, InsertOutbox, Guid.CreateVersion7(), payload, payload, now);
            await tx.CommitAsync();
        }

        await Json.RespondAsync(http, StatusCodes.Status201Created, json =>
        {
            json.WriteStartObject();
            json.WriteStartObject("data");
            json.WriteString("trainee_id", slug);
            json.WriteString("provider_id", provider);
            foreach (var property in data.EnumerateObject())
            {
                property.WriteTo(json);
            }

            json.WriteString("created_at", now);
            json.WriteString("updated_at", now);
            json.WriteEndObject();
            json.WriteEndObject();
        });
    }
}
