using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Npgsql;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Outbox;
using Register.Trainees.Versions;

namespace Register.Trainees.Domain;

/// <summary>What came of creating a trainee: the broken rules, the trainees it duplicates, or the trainee made.</summary>
internal sealed record TraineeCreationOutcome(IReadOnlyList<TraineeError> Errors, IReadOnlyList<Trainee> Duplicates, Trainee? Created);

/// <summary>
/// Creates trainees with their degrees and placements in the caller's transaction: one for POST /trainees, every row of a
/// file for a CSV upload, by the same steps. The rules (spec §5); then the duplicate check (§5.9), against the provider's
/// trainees and the rows before it; then the rows and their notifications, one statement a table however many there are.
/// Requests for the same provider, date of birth and last name take turns (transaction locks, taken in order), so two
/// identical requests at once make one trainee and one 409.
/// </summary>
internal static class TraineeCreation
{
    /// <param name="trnDelay">How long TRS takes to allocate the TRN each new trainee is submitted for.</param>
    public static async Task<TraineeCreationOutcome> CreateAsync(
        NpgsqlTransaction tx, TraineeDraft draft, Guid providerId, TraineeApiVersion version, string recordSource, Actor actor,
        DateTimeOffset now, DateOnly today, TimeSpan trnDelay, CancellationToken ct) =>
        (await CreateManyAsync(tx, [draft], providerId, version, recordSource, actor, now, today, trnDelay, dryRun: false, ct))[0];

    /// <summary>Creates each draft that passes the rules and duplicates no trainee (nor an earlier draft); one outcome a draft, in order.</summary>
    /// <param name="dryRun">
    /// For a CSV upload's dry run, whose transaction is rolled back: the rows are still written (so the database's own checks
    /// run, and later rows are checked against them), but not what only follows from them once committed — the
    /// notifications and the TRS requests, which no rule or constraint can refuse.
    /// </param>
    public static async Task<IReadOnlyList<TraineeCreationOutcome>> CreateManyAsync(
        NpgsqlTransaction tx, IReadOnlyList<TraineeDraft> drafts, Guid providerId, TraineeApiVersion version, string recordSource, Actor actor,
        DateTimeOffset now, DateOnly today, TimeSpan trnDelay, bool dryRun, CancellationToken ct)
    {
        var connection = tx.Connection!;
        var known = await KnownOrganisations.LoadAsync(connection, drafts, tx, ct);
        var results = drafts.Select(d => TraineeRules.Validate(d, version, known, today)).ToList();
        var candidates = results.Where(r => r.IsValid).Select(r => r.Trainee).ToList();
        var existing = await LockAndFindNamesakesAsync(connection, providerId, candidates, tx, ct);

        var outcomes = new List<TraineeCreationOutcome>(results.Count);
        var made = new List<(Trainee Trainee, List<Degree> Degrees, List<(Placement Stored, PlacementDraft Draft)> Placements)>();
        // The provider's namesakes and the drafts made so far, by date of birth and last name (the duplicate rule's first
        // test), so a file's rows are each checked against their few namesakes, not against every row before them.
        var namesakes = new Dictionary<(DateOnly?, string), List<Trainee>>(NamesakeKey.Comparer);
        foreach (var trainee in existing)
        {
            NamesakesOf(namesakes, trainee).Add(trainee);
        }

        foreach (var result in results)
        {
            if (!result.IsValid)
            {
                outcomes.Add(new TraineeCreationOutcome(result.Errors, [], null));
                continue;
            }

            var duplicates = Duplicates(result.Trainee, NamesakesOf(namesakes, result.Trainee));
            if (duplicates.Count > 0)
            {
                outcomes.Add(new TraineeCreationOutcome([], duplicates, null));
                continue;
            }

            // Ids increase strictly (EventIds), so the degrees and placements made in one request keep the order they were sent in.
            var trainee = result.Trainee with
            {
                Id = EventIds.Next(now),
                Slug = Slugs.New(),
                ProviderId = providerId,
                State = TraineeStates.SubmittedForTrn,
                RecordSource = recordSource,
                SubmittedForTrnAt = now,
                CreatedAt = now,
                UpdatedAt = now,
            };
            var degrees = result.Degrees.Select(d => d.ToDegree(new Degree { Id = EventIds.Next(now), Slug = Slugs.New(), TraineeId = trainee.Id, CreatedAt = now, UpdatedAt = now })).ToList();
            var placements = result.Placements
                .Select(p => (p.ToPlacement(new Placement { Id = EventIds.Next(now), Slug = Slugs.New(), TraineeId = trainee.Id, CreatedAt = now, UpdatedAt = now }), p)).ToList();
            made.Add((trainee, degrees, placements));
            NamesakesOf(namesakes, trainee).Add(trainee);
            outcomes.Add(new TraineeCreationOutcome([], [], trainee));
        }

        await InsertAsync(tx, made.Select(m => m.Trainee).ToList(), made.SelectMany(m => m.Degrees).ToList(), made.SelectMany(m => m.Placements.Select(p => p.Stored)).ToList(), now + trnDelay, now, dryRun, ct);
        if (dryRun)
        {
            return outcomes;
        }

        // The notifications: each trainee, then its degrees and placements, as the API shows them (a placement at a
        // known school with the school's name and postcode).
        await Outbox.EnqueueManyAsync(tx, TraineesModule.Schema, made.SelectMany(m =>
        {
            IIntegrationEvent Created(string recordType, JsonObject view) =>
                TraineeEvents.Changed(recordType, m.Trainee, RecordActions.Created, actor, TraineeEvents.Between(null, view), now);
            return new[] { TraineeEvents.Changed(TraineeEvents.Trainee, m.Trainee, RecordActions.Created, actor, TraineeEvents.TraineeChanges(null, m.Trainee), now) }
                .Concat(m.Degrees.Select(d => Created(TraineeEvents.Degree, TraineeJson.Degree(d))))
                .Concat(m.Placements.Select(p => Created(TraineeEvents.Placement, TraineeJson.Placement(p.Draft.Shown(p.Stored)))));
        }).ToList(), ct);
        return outcomes;
    }

    /// <summary>
    /// Takes the lock of each (provider, date of birth, last name) the candidates have, in order (so two callers never wait on
    /// each other in a circle), and returns the provider's kept trainees with those names and birthdays, in one round trip.
    /// The select runs after the locks in the same statement batch: under READ COMMITTED (the default, which Register keeps)
    /// each statement sees what was committed before it began, so a namesake committed by the lock's last holder is found.
    /// Names are lowered by PostgreSQL on both sides, so the look-up agrees with itself whatever the letters.
    /// </summary>
    private static async Task<List<Trainee>> LockAndFindNamesakesAsync(NpgsqlConnection connection, Guid providerId, List<Trainee> candidates, NpgsqlTransaction tx, CancellationToken ct)
    {
        if (candidates.Count == 0)
        {
            return [];
        }

        var keys = candidates.Select(c => $"trainee:{providerId}:{c.DateOfBirth:yyyy-MM-dd}:{c.LastName?.ToLowerInvariant()}").Distinct().Order(StringComparer.Ordinal).ToArray();
        // The look-up is planned for its own arrays (force_custom_plan, for this statement only): its statement is
        // prepared (ADR 31), and a generic plan, blind to how many names a CSV chunk brings, hashed the provider's every
        // trainee instead of seeking each name (0.8 s instead of 0.01 s a chunk).
        using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            "SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) FROM (SELECT k FROM unnest(@keys) AS k ORDER BY k) AS ordered;\n" +
            "SET LOCAL plan_cache_mode = force_custom_plan;\n" +
            TraineeStore.Select("""
                t.provider_id = @providerId AND t.discarded_at IS NULL
                AND (t.date_of_birth, lower(t.last_name)) IN (SELECT b, lower(n) FROM unnest(@birthdays, @names) AS x(b, n))
                """, "ORDER BY t.created_at, t.id") +
            ";\nSET LOCAL plan_cache_mode TO DEFAULT",
            new
            {
                keys,
                providerId,
                birthdays = candidates.Select(c => c.DateOfBirth).ToArray(),
                names = candidates.Select(c => c.LastName).ToArray(),
            },
            tx, cancellationToken: ct));
        await results.ReadAsync();
        return (await results.ReadAsync<Trainee>()).AsList();
    }

    private static List<Trainee> NamesakesOf(Dictionary<(DateOnly?, string), List<Trainee>> namesakes, Trainee trainee)
    {
        var key = (trainee.DateOfBirth, trainee.LastName ?? "");
        if (!namesakes.TryGetValue(key, out var list))
        {
            namesakes[key] = list = [];
        }

        return list;
    }

    /// <summary>Date of birth and last name, the last name ignoring case as <see cref="Duplicates"/> compares it.</summary>
    private sealed class NamesakeKey : IEqualityComparer<(DateOnly?, string)>
    {
        public static readonly NamesakeKey Comparer = new();

        public bool Equals((DateOnly?, string) x, (DateOnly?, string) y) => x.Item1 == y.Item1 && string.Equals(x.Item2, y.Item2, StringComparison.OrdinalIgnoreCase);

        public int GetHashCode((DateOnly?, string) obj) => HashCode.Combine(obj.Item1, StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Item2));
    }

    /// <summary>
    /// The trainees a candidate duplicates: same date of birth and last name (ignoring case), same start academic year (of
    /// the new ITT start date), same route, and the same first name (its first word, letters only) or email.
    /// </summary>
    private static List<Trainee> Duplicates(Trainee candidate, IEnumerable<Trainee> others)
    {
        var cycle = AcademicCycles.Of(candidate.IttStartDate);
        var firstName = FirstName(candidate.FirstNames);
        var email = candidate.Email?.Trim().ToLowerInvariant();
        return others.Where(o => o.DateOfBirth == candidate.DateOfBirth && string.Equals(o.LastName, candidate.LastName, StringComparison.OrdinalIgnoreCase)
                && o.StartAcademicYear == cycle && o.TrainingRoute == candidate.TrainingRoute
                && (FirstName(o.FirstNames) == firstName || o.Email?.Trim().ToLowerInvariant() == email))
            .ToList();
    }

    private static string FirstName(string? names)
    {
        var letters = new string((names ?? "").Trim().ToLowerInvariant().Where(c => c is (>= 'a' and <= 'z') or ' ').ToArray());
        return letters.Split(' ')[0];
    }

    /// <summary>The new trainees (submitted for a TRN, due from <paramref name="trnDue"/>, unless a dry run), degrees and placements: a statement a table.</summary>
    private static async Task InsertAsync(
        NpgsqlTransaction tx, List<Trainee> trainees, List<Degree> degrees, List<Placement> placements, DateTimeOffset trnDue, DateTimeOffset now,
        bool dryRun, CancellationToken ct)
    {
        if (trainees.Count == 0)
        {
            return;
        }

        var connection = tx.Connection!;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO trainees.trainees (id, slug, provider_id, state, record_source, provider_trainee_id, application_id, hesa_id, first_names,
                middle_names, last_name, previous_last_name, date_of_birth, ni_number, email, sex, nationality, ethnicity, disabilities, itt_aim,
                itt_qualification_aim, training_route, course_subject_1, course_subject_2, course_subject_3, study_mode, course_age_range, course_year,
                fund_code, funding_method, iqts_country, training_initiative, additional_training_initiative, itt_start_date, itt_end_date,
                trainee_start_date, pg_apprenticeship_start_date, start_academic_year, training_partner_id, employing_school_urn,
                submitted_for_trn_at, created_at, updated_at)
            SELECT t.id, t.slug, t.provider_id, t.state, t.record_source, t.provider_trainee_id, t.application_id, t.hesa_id, t.first_names,
                t.middle_names, t.last_name, t.previous_last_name, t.date_of_birth, t.ni_number, t.email, t.sex, t.nationality, t.ethnicity,
                ARRAY(SELECT jsonb_array_elements_text(t.disabilities::jsonb)), t.itt_aim, t.itt_qualification_aim, t.training_route, t.course_subject_1,
                t.course_subject_2, t.course_subject_3, t.study_mode, t.course_age_range, t.course_year, t.fund_code, t.funding_method, t.iqts_country,
                t.training_initiative, t.additional_training_initiative, t.itt_start_date, t.itt_end_date, t.trainee_start_date,
                t.pg_apprenticeship_start_date, t.start_academic_year, t.training_partner_id, t.employing_school_urn, @now, @now, @now
            FROM unnest(@ids, @slugs, @providers, @states, @sources, @providerTraineeIds, @applicationIds, @hesaIds, @firstNames, @middleNames,
                @lastNames, @previousLastNames, @birthdays, @niNumbers, @emails, @sexes, @nationalities, @ethnicities, @disabilities, @ittAims,
                @qualificationAims, @routes, @subjects1, @subjects2, @subjects3, @studyModes, @ageRanges, @courseYears, @fundCodes, @fundingMethods,
                @iqtsCountries, @initiatives, @additionalInitiatives, @ittStarts, @ittEnds, @traineeStarts, @apprenticeshipStarts, @startYears,
                @partners, @employingSchools)
            AS t(id, slug, provider_id, state, record_source, provider_trainee_id, application_id, hesa_id, first_names, middle_names, last_name,
                previous_last_name, date_of_birth, ni_number, email, sex, nationality, ethnicity, disabilities, itt_aim, itt_qualification_aim,
                training_route, course_subject_1, course_subject_2, course_subject_3, study_mode, course_age_range, course_year, fund_code,
                funding_method, iqts_country, training_initiative, additional_training_initiative, itt_start_date, itt_end_date, trainee_start_date,
                pg_apprenticeship_start_date, start_academic_year, training_partner_id, employing_school_urn)
            """,
            new
            {
                now,
                ids = trainees.Select(t => t.Id).ToArray(),
                slugs = trainees.Select(t => t.Slug).ToArray(),
                providers = trainees.Select(t => t.ProviderId).ToArray(),
                states = trainees.Select(t => t.State).ToArray(),
                sources = trainees.Select(t => t.RecordSource).ToArray(),
                providerTraineeIds = trainees.Select(t => t.ProviderTraineeId).ToArray(),
                applicationIds = trainees.Select(t => t.ApplicationId).ToArray(),
                hesaIds = trainees.Select(t => t.HesaId).ToArray(),
                firstNames = trainees.Select(t => t.FirstNames).ToArray(),
                middleNames = trainees.Select(t => t.MiddleNames).ToArray(),
                lastNames = trainees.Select(t => t.LastName).ToArray(),
                previousLastNames = trainees.Select(t => t.PreviousLastName).ToArray(),
                birthdays = trainees.Select(t => t.DateOfBirth).ToArray(),
                niNumbers = trainees.Select(t => t.NiNumber).ToArray(),
                emails = trainees.Select(t => t.Email).ToArray(),
                sexes = trainees.Select(t => t.Sex).ToArray(),
                nationalities = trainees.Select(t => t.Nationality).ToArray(),
                ethnicities = trainees.Select(t => t.Ethnicity).ToArray(),
                disabilities = trainees.Select(t => JsonSerializer.Serialize(t.Disabilities)).ToArray(),
                ittAims = trainees.Select(t => t.IttAim).ToArray(),
                qualificationAims = trainees.Select(t => t.IttQualificationAim).ToArray(),
                routes = trainees.Select(t => t.TrainingRoute).ToArray(),
                subjects1 = trainees.Select(t => t.CourseSubject1).ToArray(),
                subjects2 = trainees.Select(t => t.CourseSubject2).ToArray(),
                subjects3 = trainees.Select(t => t.CourseSubject3).ToArray(),
                studyModes = trainees.Select(t => t.StudyMode).ToArray(),
                ageRanges = trainees.Select(t => t.CourseAgeRange).ToArray(),
                courseYears = trainees.Select(t => t.CourseYear).ToArray(),
                fundCodes = trainees.Select(t => t.FundCode).ToArray(),
                fundingMethods = trainees.Select(t => t.FundingMethod).ToArray(),
                iqtsCountries = trainees.Select(t => t.IqtsCountry).ToArray(),
                initiatives = trainees.Select(t => t.TrainingInitiative).ToArray(),
                additionalInitiatives = trainees.Select(t => t.AdditionalTrainingInitiative).ToArray(),
                ittStarts = trainees.Select(t => t.IttStartDate).ToArray(),
                ittEnds = trainees.Select(t => t.IttEndDate).ToArray(),
                traineeStarts = trainees.Select(t => t.TraineeStartDate).ToArray(),
                apprenticeshipStarts = trainees.Select(t => t.PgApprenticeshipStartDate).ToArray(),
                startYears = trainees.Select(t => t.StartAcademicYear).ToArray(),
                partners = trainees.Select(t => t.TrainingPartnerId).ToArray(),
                employingSchools = trainees.Select(t => t.EmployingSchoolUrn).ToArray(),
            },
            tx, cancellationToken: ct));
        if (!dryRun)
        {
            await TrsRequests.EnqueueManyAsync(tx, trainees.Select(t => t.Id).ToList(), TrsRequests.Trn, trnDue, now, ct);
        }

        if (degrees.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO trainees.degrees (id, slug, trainee_id, locale_code, subject, subject_uuid, institution, institution_uuid, uk_degree, uk_degree_uuid,
                    non_uk_degree, grade, grade_uuid, other_grade, country, graduation_year, created_at, updated_at)
                SELECT d.*, @now, @now FROM unnest(@ids, @slugs, @trainees, @locales, @subjects, @subjectUuids, @institutions, @institutionUuids, @ukDegrees,
                    @ukDegreeUuids, @nonUkDegrees, @grades, @gradeUuids, @otherGrades, @countries, @years) AS d
                """,
                new
                {
                    now,
                    ids = degrees.Select(d => d.Id).ToArray(),
                    slugs = degrees.Select(d => d.Slug).ToArray(),
                    trainees = degrees.Select(d => d.TraineeId).ToArray(),
                    locales = degrees.Select(d => d.LocaleCode).ToArray(),
                    subjects = degrees.Select(d => d.Subject).ToArray(),
                    subjectUuids = degrees.Select(d => d.SubjectUuid).ToArray(),
                    institutions = degrees.Select(d => d.Institution).ToArray(),
                    institutionUuids = degrees.Select(d => d.InstitutionUuid).ToArray(),
                    ukDegrees = degrees.Select(d => d.UkDegree).ToArray(),
                    ukDegreeUuids = degrees.Select(d => d.UkDegreeUuid).ToArray(),
                    nonUkDegrees = degrees.Select(d => d.NonUkDegree).ToArray(),
                    grades = degrees.Select(d => d.Grade).ToArray(),
                    gradeUuids = degrees.Select(d => d.GradeUuid).ToArray(),
                    otherGrades = degrees.Select(d => d.OtherGrade).ToArray(),
                    countries = degrees.Select(d => d.Country).ToArray(),
                    years = degrees.Select(d => d.GraduationYear).ToArray(),
                },
                tx, cancellationToken: ct));
        }

        if (placements.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO trainees.placements (id, slug, trainee_id, urn, name, postcode, school_id, created_at, updated_at)
                SELECT p.*, @now, @now FROM unnest(@ids, @slugs, @trainees, @urns, @names, @postcodes, @schools) AS p
                """,
                new
                {
                    now,
                    ids = placements.Select(p => p.Id).ToArray(),
                    slugs = placements.Select(p => p.Slug).ToArray(),
                    trainees = placements.Select(p => p.TraineeId).ToArray(),
                    urns = placements.Select(p => p.Urn).ToArray(),
                    names = placements.Select(p => p.Name).ToArray(),
                    postcodes = placements.Select(p => p.Postcode).ToArray(),
                    schools = placements.Select(p => p.SchoolId).ToArray(),
                },
                tx, cancellationToken: ct));
        }
    }
}
