using Dapper;
using Npgsql;

namespace Register.Trainees.Domain;

/// <summary>The SQL of trainee records, their degrees and placements. Every query is scoped to one training provider.</summary>
internal static class TraineeStore
{
    private const string TraineeColumns =
        """
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

    /// <summary>FROM clause of every trainee read: the training partner's URN and UKPRN come from the copy of providers.</summary>
    public const string From = "trainees.trainees t LEFT JOIN trainees.providers tp ON tp.id = t.training_partner_id";

    /// <summary>
    /// Which of the provider's (<c>@providerId</c>) trainees its lists show, the API's and the pages': kept (not deleted) and not
    /// drafts, as the reference's lists.
    /// </summary>
    public const string Listed = "t.provider_id = @providerId AND t.discarded_at IS NULL AND t.state <> 'draft'";

    public static string Select(string where, string suffix = "") => $"SELECT {TraineeColumns} FROM {From} WHERE {where} {suffix}";

    /// <summary>
    /// The trainees of <paramref name="rows"/> (a FROM item that yields trainee rows as <c>t</c>, such as a LATERAL subquery), with
    /// their training partner's URN and UKPRN.
    /// </summary>
    public static string SelectFrom(string rows, string suffix = "") =>
        $"SELECT {TraineeColumns} FROM {rows} LEFT JOIN trainees.providers tp ON tp.id = t.training_partner_id {suffix}";

    private const string DegreeColumns =
        "id, slug, trainee_id, locale_code, subject, subject_uuid, institution, institution_uuid, uk_degree, uk_degree_uuid, non_uk_degree, grade, grade_uuid, " +
        "other_grade, country, graduation_year, created_at, updated_at";

    /// <summary>A placement at a known school shows the school's name and postcode, as the module's copy has them now.</summary>
    private const string PlacementSelect =
        "SELECT p.id, p.slug, p.trainee_id, p.urn, COALESCE(s.name, p.name) AS name, COALESCE(s.postcode, p.postcode) AS postcode, p.school_id, " +
        "p.created_at, p.updated_at FROM trainees.placements p LEFT JOIN trainees.schools s ON s.id = p.school_id";

    /// <summary>One of the provider's kept (not deleted) trainees by its slug; locked for the transaction when <paramref name="tx"/> is given.</summary>
    public static async Task<Trainee?> FindAsync(NpgsqlConnection connection, Guid providerId, string slug, NpgsqlTransaction? tx, CancellationToken ct)
    {
        if (!Slugs.IsWellFormed(slug))
        {
            return null;
        }

        return await connection.QuerySingleOrDefaultAsync<Trainee>(new CommandDefinition(
            Select("t.provider_id = @providerId AND t.slug = @slug AND t.discarded_at IS NULL", tx is null ? "" : "FOR UPDATE OF t"),
            new { providerId, slug }, tx, cancellationToken: ct));
    }

    /// <summary>Writes what a client may change (the record's fields); the state and its dates are the lifecycle's.</summary>
    /// <summary>Writes what the lifecycle moves: the state, the TRN, and the deferral, withdrawal, recommendation and award.</summary>
    public static Task UpdateLifecycleAsync(NpgsqlTransaction tx, Trainee trainee, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            UPDATE trainees.trainees SET state = @State, trn = @Trn, defer_date = @DeferDate, defer_reason = @DeferReason,
                trainee_start_date = @TraineeStartDate, withdrawal_date = @WithdrawalDate, withdrawal_trigger = @WithdrawalTrigger,
                withdrawal_future_interest = @WithdrawalFutureInterest, withdrawal_reasons = @WithdrawalReasons,
                withdrawal_another_reason = @WithdrawalAnotherReason, withdrawal_safeguarding_concern_reasons = @WithdrawalSafeguardingConcernReasons,
                outcome_date = @OutcomeDate, recommended_for_award_at = @RecommendedForAwardAt, awarded_at = @AwardedAt, updated_at = @UpdatedAt
            WHERE id = @Id
            """,
            trainee, tx, cancellationToken: ct));

    public static Task UpdateFieldsAsync(NpgsqlTransaction tx, Trainee trainee, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            UPDATE trainees.trainees SET provider_trainee_id = @ProviderTraineeId, application_id = @ApplicationId, hesa_id = @HesaId,
                first_names = @FirstNames, middle_names = @MiddleNames, last_name = @LastName, previous_last_name = @PreviousLastName,
                date_of_birth = @DateOfBirth, ni_number = @NiNumber, email = @Email, sex = @Sex, nationality = @Nationality, ethnicity = @Ethnicity,
                disabilities = @Disabilities, itt_aim = @IttAim, itt_qualification_aim = @IttQualificationAim, training_route = @TrainingRoute,
                course_subject_1 = @CourseSubject1, course_subject_2 = @CourseSubject2, course_subject_3 = @CourseSubject3, study_mode = @StudyMode,
                course_age_range = @CourseAgeRange, course_year = @CourseYear, fund_code = @FundCode, funding_method = @FundingMethod,
                iqts_country = @IqtsCountry, training_initiative = @TrainingInitiative, additional_training_initiative = @AdditionalTrainingInitiative,
                itt_start_date = @IttStartDate, itt_end_date = @IttEndDate, trainee_start_date = @TraineeStartDate,
                pg_apprenticeship_start_date = @PgApprenticeshipStartDate, start_academic_year = @StartAcademicYear,
                training_partner_id = @TrainingPartnerId, employing_school_urn = @EmployingSchoolUrn, updated_at = @UpdatedAt
            WHERE id = @Id
            """,
            trainee, tx, cancellationToken: ct));

    /// <summary>Moves a trainee's <c>updated_at</c> (a degree or placement of it changed): SRS sync by <c>since</c> sees it.</summary>
    public static Task TouchAsync(NpgsqlTransaction tx, Guid traineeId, DateTimeOffset now, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE trainees.trainees SET updated_at = @now WHERE id = @traineeId", new { traineeId, now }, tx, cancellationToken: ct));

    public static async Task<ILookup<Guid, Degree>> DegreesAsync(NpgsqlConnection connection, IReadOnlyCollection<Guid> traineeIds, NpgsqlTransaction? tx, CancellationToken ct) =>
        (await connection.QueryAsync<Degree>(new CommandDefinition(
            $"SELECT {DegreeColumns} FROM trainees.degrees WHERE trainee_id = ANY(@ids) ORDER BY trainee_id, created_at, id",
            new { ids = traineeIds.ToArray() }, tx, cancellationToken: ct))).ToLookup(d => d.TraineeId);

    public static async Task<ILookup<Guid, Placement>> PlacementsAsync(NpgsqlConnection connection, IReadOnlyCollection<Guid> traineeIds, NpgsqlTransaction? tx, CancellationToken ct) =>
        (await connection.QueryAsync<Placement>(new CommandDefinition(
            $"{PlacementSelect} WHERE p.trainee_id = ANY(@ids) ORDER BY p.trainee_id, p.created_at, p.id",
            new { ids = traineeIds.ToArray() }, tx, cancellationToken: ct))).ToLookup(p => p.TraineeId);

    /// <summary>The degrees and the placements of these trainees, in one round trip.</summary>
    public static async Task<(ILookup<Guid, Degree> Degrees, ILookup<Guid, Placement> Placements)> PartsAsync(
        NpgsqlConnection connection, IReadOnlyCollection<Guid> traineeIds, NpgsqlTransaction? tx, CancellationToken ct)
    {
        using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            $"""
            SELECT {DegreeColumns} FROM trainees.degrees WHERE trainee_id = ANY(@ids) ORDER BY trainee_id, created_at, id;
            {PlacementSelect} WHERE p.trainee_id = ANY(@ids) ORDER BY p.trainee_id, p.created_at, p.id
            """,
            new { ids = traineeIds.ToArray() }, tx, cancellationToken: ct));
        var degrees = (await results.ReadAsync<Degree>()).ToLookup(d => d.TraineeId);
        var placements = (await results.ReadAsync<Placement>()).ToLookup(p => p.TraineeId);
        return (degrees, placements);
    }

    public static Task<Degree?> FindDegreeAsync(NpgsqlConnection connection, Guid traineeId, string slug, NpgsqlTransaction? tx, CancellationToken ct) =>
        Slugs.IsWellFormed(slug)
            ? connection.QuerySingleOrDefaultAsync<Degree>(new CommandDefinition(
                $"SELECT {DegreeColumns} FROM trainees.degrees WHERE trainee_id = @traineeId AND slug = @slug", new { traineeId, slug }, tx, cancellationToken: ct))
            : Task.FromResult<Degree?>(null);

    public static Task<Placement?> FindPlacementAsync(NpgsqlConnection connection, Guid traineeId, string slug, NpgsqlTransaction? tx, CancellationToken ct) =>
        Slugs.IsWellFormed(slug)
            ? connection.QuerySingleOrDefaultAsync<Placement>(new CommandDefinition(
                $"{PlacementSelect} WHERE p.trainee_id = @traineeId AND p.slug = @slug", new { traineeId, slug }, tx, cancellationToken: ct))
            : Task.FromResult<Placement?>(null);

    public static Task InsertDegreeAsync(NpgsqlTransaction tx, Degree degree, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO trainees.degrees (id, slug, trainee_id, locale_code, subject, subject_uuid, institution, institution_uuid, uk_degree,
                uk_degree_uuid, non_uk_degree, grade, grade_uuid, other_grade, country, graduation_year, created_at, updated_at)
            VALUES (@Id, @Slug, @TraineeId, @LocaleCode, @Subject, @SubjectUuid, @Institution, @InstitutionUuid, @UkDegree,
                @UkDegreeUuid, @NonUkDegree, @Grade, @GradeUuid, @OtherGrade, @Country, @GraduationYear, @CreatedAt, @UpdatedAt)
            """,
            degree, tx, cancellationToken: ct));

    public static Task UpdateDegreeAsync(NpgsqlTransaction tx, Degree degree, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            UPDATE trainees.degrees SET locale_code = @LocaleCode, subject = @Subject, subject_uuid = @SubjectUuid, institution = @Institution,
                institution_uuid = @InstitutionUuid, uk_degree = @UkDegree, uk_degree_uuid = @UkDegreeUuid, non_uk_degree = @NonUkDegree,
                grade = @Grade, grade_uuid = @GradeUuid, other_grade = @OtherGrade, country = @Country, graduation_year = @GraduationYear,
                updated_at = @UpdatedAt
            WHERE id = @Id
            """,
            degree, tx, cancellationToken: ct));

    public static Task InsertPlacementAsync(NpgsqlTransaction tx, Placement placement, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO trainees.placements (id, slug, trainee_id, urn, name, postcode, school_id, created_at, updated_at)
            VALUES (@Id, @Slug, @TraineeId, @Urn, @Name, @Postcode, @SchoolId, @CreatedAt, @UpdatedAt)
            """,
            placement, tx, cancellationToken: ct));

    public static Task UpdatePlacementAsync(NpgsqlTransaction tx, Placement placement, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE trainees.placements SET urn = @Urn, name = @Name, postcode = @Postcode, school_id = @SchoolId, updated_at = @UpdatedAt WHERE id = @Id",
            placement, tx, cancellationToken: ct));

    public static Task DeleteDegreeAsync(NpgsqlTransaction tx, Guid id, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition("DELETE FROM trainees.degrees WHERE id = @id", new { id }, tx, cancellationToken: ct));

    public static Task DeletePlacementAsync(NpgsqlTransaction tx, Guid id, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition("DELETE FROM trainees.placements WHERE id = @id", new { id }, tx, cancellationToken: ct));
}
