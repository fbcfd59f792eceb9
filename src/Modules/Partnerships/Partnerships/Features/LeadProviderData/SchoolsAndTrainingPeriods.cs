using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;
using Register.Partnerships.Domain;

namespace Register.Partnerships.Features.LeadProviderData;

/// <summary>
/// Support endpoints for the schools (GIAS data, induction tutor) and the participants' training periods that
/// the lead provider API's derived fields come from. A change lead providers would see moves the school's and
/// its partnerships' <c>updated_at</c>.
/// </summary>
internal static class SchoolsAndTrainingPeriods
{
    internal sealed record SchoolRequest(
        string? Urn, string? Name, string? GiasStatus, string? TypeName, bool? InEngland, bool? Section41Approved, bool? MarkedAsEligible,
        string? InductionTutorName, string? InductionTutorEmail, string? PrimaryContactEmail, string? SecondaryContactEmail, string? Postcode = null);

    internal sealed record School
    {
        public const string Columns =
            "id, urn, name, gias_status, type_name, in_england, section_41_approved, marked_as_eligible, induction_tutor_name, induction_tutor_email, " +
            "primary_contact_email, secondary_contact_email, postcode, created_at, updated_at";

        public Guid Id { get; init; }

        public string Urn { get; init; } = "";

        public string Name { get; init; } = "";

        public string GiasStatus { get; init; } = "";

        public string TypeName { get; init; } = "";

        public bool InEngland { get; init; }

        public bool Section41Approved { get; init; }

        public bool MarkedAsEligible { get; init; }

        public string? InductionTutorName { get; init; }

        public string? InductionTutorEmail { get; init; }

        public string? PrimaryContactEmail { get; init; }

        public string? SecondaryContactEmail { get; init; }

        public string? Postcode { get; init; }

        public DateTimeOffset CreatedAt { get; init; }

        public DateTimeOffset UpdatedAt { get; init; }
    }

    internal sealed record TrainingPeriodRequest(
        Guid? ParticipantId, string? Role, Guid? SchoolId, int? Cohort, string? TrainingProgramme, Guid? ExpressionOfInterestLeadProviderId,
        DateOnly? StartedOn, DateOnly? FinishedOn);

    internal sealed record TrainingPeriod
    {
        public Guid Id { get; init; }

        public Guid ParticipantId { get; init; }

        public string Role { get; init; } = "";

        public Guid SchoolId { get; init; }

        public int CohortYear { get; init; }

        public string TrainingProgramme { get; init; } = "";

        public Guid? ExpressionOfInterestLeadProviderId { get; init; }

        public Guid? SchoolPartnershipId { get; init; }

        public DateOnly StartedOn { get; init; }

        public DateOnly? FinishedOn { get; init; }
    }

    private static readonly string[] GiasStatuses = ["open", "closed", "proposed_to_close", "proposed_to_open"];

    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/schools", CreateSchoolAsync).WithName("CreateSchool").WithSummary("Add a school (GIAS data)")
            .Produces<LeadProviderData.Envelope<School>>(StatusCodes.Status201Created).ProducesValidationErrors();
        group.MapPatch("/schools/{id:guid}", UpdateSchoolAsync).WithName("UpdateSchool").WithSummary("Change a school's GIAS data or induction tutor")
            .Produces<LeadProviderData.Envelope<School>>().Produces(StatusCodes.Status404NotFound).ProducesValidationErrors();
        group.MapPost("/training-periods", CreateTrainingPeriodAsync).WithName("CreateTrainingPeriod")
            .WithSummary("Register a participant's training period at a school (with the lead provider the school chose, if any)")
            .Produces<LeadProviderData.Envelope<TrainingPeriod>>(StatusCodes.Status201Created).ProducesValidationErrors();
        group.MapPatch("/training-periods/{id:guid}", FinishTrainingPeriodAsync).WithName("FinishTrainingPeriod")
            .WithSummary("Set the day a training period finished (withdrawn, deferred or completed)")
            .Produces<LeadProviderData.Envelope<TrainingPeriod>>().Produces(StatusCodes.Status404NotFound).ProducesValidationErrors();
    }

    private static IEnumerable<ApiError> SchoolErrors(SchoolRequest s)
    {
        if (string.IsNullOrWhiteSpace(s.Urn) || !s.Urn.All(char.IsAsciiDigit) || s.Urn.Length is < 5 or > 6)
        {
            yield return new ApiError("urn", "urn must be 5 or 6 digits");
        }

        if (string.IsNullOrWhiteSpace(s.Name))
        {
            yield return new ApiError("name", "Enter the school's name");
        }

        if (s.GiasStatus is null || !GiasStatuses.Contains(s.GiasStatus))
        {
            yield return new ApiError("gias_status", $"gias_status is not included in the list ({string.Join(", ", GiasStatuses)})");
        }

        if (string.IsNullOrWhiteSpace(s.TypeName))
        {
            yield return new ApiError("type_name", "Enter the school's GIAS type, like Community school");
        }

        if (string.IsNullOrWhiteSpace(s.InductionTutorName) != string.IsNullOrWhiteSpace(s.InductionTutorEmail))
        {
            yield return new ApiError("induction_tutor_email", "Give the induction tutor's name and email together");
        }
    }

    private static async Task<IResult> CreateSchoolAsync(SchoolRequest request, TransactionRunner transactions, TimeProvider clock, CancellationToken ct)
    {
        var errors = SchoolErrors(request).ToList();
        if (errors.Count > 0)
        {
            return ApiErrors.Unprocessable(errors);
        }

        var now = clock.UtcNowForDatabase();
        var school = await transactions.RunAsync(PartnershipsModule.Schema, async tx =>
        {
            var created = await tx.Connection!.QuerySingleOrDefaultAsync<School>(new CommandDefinition(
                $"""
                INSERT INTO partnerships.schools (id, urn, name, gias_status, type_name, in_england, section_41_approved, marked_as_eligible,
                    induction_tutor_name, induction_tutor_email, primary_contact_email, secondary_contact_email, postcode, created_at, updated_at)
                VALUES (@id, @Urn, @Name, @GiasStatus, @TypeName, @InEngland, @Section41Approved, @MarkedAsEligible,
                    @InductionTutorName, @InductionTutorEmail, @PrimaryContactEmail, @SecondaryContactEmail, @Postcode, @now, @now)
                ON CONFLICT (urn) DO NOTHING RETURNING {School.Columns}
                """,
                Parameters(request, new { id = Guid.CreateVersion7(now), now }), tx, cancellationToken: ct));
            if (created is not null)
            {
                await SchoolChanges.EnqueueAsync(tx, [created.Id], now, ct);
            }

            return created;
        }, ct);
        return school is null
            ? ApiErrors.Unprocessable([new ApiError("urn", $"A school with URN {request.Urn} already exists")])
            : TypedResults.Created($"/support/schools/{school.Id}", new LeadProviderData.Envelope<School>(school));
    }

    private static async Task<IResult> UpdateSchoolAsync(Guid id, SchoolRequest request, TransactionRunner transactions, TimeProvider clock, CancellationToken ct)
    {
        try
        {
            return await transactions.RunAsync(PartnershipsModule.Schema, tx => ApplySchoolUpdateAsync(id, request, tx, clock, ct), ct);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return ApiErrors.Unprocessable([new ApiError("urn", $"A school with URN {request.Urn} already exists")]);
        }
    }

    private static async Task<IResult> ApplySchoolUpdateAsync(Guid id, SchoolRequest request, NpgsqlTransaction tx, TimeProvider clock, CancellationToken ct)
    {
        var connection = tx.Connection!;
        var before = await connection.QuerySingleOrDefaultAsync<School>(new CommandDefinition(
            $"SELECT {School.Columns} FROM partnerships.schools WHERE id = @id FOR UPDATE", new { id }, tx, cancellationToken: ct));
        if (before is null)
        {
            return ApiErrors.NotFound("School not found");
        }

        var merged = new SchoolRequest(
            request.Urn ?? before.Urn, request.Name ?? before.Name, request.GiasStatus ?? before.GiasStatus, request.TypeName ?? before.TypeName,
            request.InEngland ?? before.InEngland, request.Section41Approved ?? before.Section41Approved, request.MarkedAsEligible ?? before.MarkedAsEligible,
            request.InductionTutorName ?? before.InductionTutorName, request.InductionTutorEmail ?? before.InductionTutorEmail,
            request.PrimaryContactEmail ?? before.PrimaryContactEmail, request.SecondaryContactEmail ?? before.SecondaryContactEmail,
            request.Postcode ?? before.Postcode);
        var errors = SchoolErrors(merged).ToList();
        if (errors.Count > 0)
        {
            return ApiErrors.Unprocessable(errors);
        }

        var now = clock.UtcNowForDatabase();
        var after = await connection.QuerySingleAsync<School>(new CommandDefinition(
            $"""
            UPDATE partnerships.schools SET urn = @Urn, name = @Name, gias_status = @GiasStatus, type_name = @TypeName, in_england = @InEngland,
                section_41_approved = @Section41Approved, marked_as_eligible = @MarkedAsEligible, induction_tutor_name = @InductionTutorName,
                induction_tutor_email = @InductionTutorEmail, primary_contact_email = @PrimaryContactEmail, secondary_contact_email = @SecondaryContactEmail,
                postcode = @Postcode,
                updated_at = CASE WHEN (urn, name, gias_status, type_name, in_england, section_41_approved, marked_as_eligible, induction_tutor_name,
                                        induction_tutor_email, primary_contact_email, secondary_contact_email)
                                       IS DISTINCT FROM (@Urn, @Name, @GiasStatus, @TypeName, @InEngland, @Section41Approved, @MarkedAsEligible,
                                        @InductionTutorName, @InductionTutorEmail, @PrimaryContactEmail, @SecondaryContactEmail)
                                  THEN @now ELSE updated_at END
            WHERE id = @id RETURNING {School.Columns}
            """,
            Parameters(merged, new { id, now }), tx, cancellationToken: ct));

        // The school's partnerships show its URN, tutor and contact emails: when those change, lead providers see it.
        if ((after.Urn, after.InductionTutorName, after.InductionTutorEmail, after.PrimaryContactEmail, after.SecondaryContactEmail)
            != (before.Urn, before.InductionTutorName, before.InductionTutorEmail, before.PrimaryContactEmail, before.SecondaryContactEmail))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE partnerships.school_partnerships SET api_updated_at = @now WHERE school_id = @id", new { id, now }, tx, cancellationToken: ct));
        }

        if ((after.Urn, after.Name, after.Postcode, after.GiasStatus) != (before.Urn, before.Name, before.Postcode, before.GiasStatus))
        {
            await SchoolChanges.EnqueueAsync(tx, [id], now, ct);
        }

        return TypedResults.Ok(new LeadProviderData.Envelope<School>(after));
    }

    private static async Task<IResult> CreateTrainingPeriodAsync(TrainingPeriodRequest request, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new List<ApiError>();
        if (request.Role is not ("ect" or "mentor"))
        {
            errors.Add(new ApiError("role", "role is not included in the list (ect, mentor)"));
        }

        if (request.TrainingProgramme is not ("provider_led" or "school_led"))
        {
            errors.Add(new ApiError("training_programme", "training_programme is not included in the list (provider_led, school_led)"));
        }

        if (request.SchoolId is null || request.Cohort is null || request.StartedOn is null)
        {
            errors.Add(new ApiError(request.SchoolId is null ? "school_id" : request.Cohort is null ? "cohort" : "started_on", "school_id, cohort and started_on are required"));
        }

        if (request.TrainingProgramme == "school_led" && request.ExpressionOfInterestLeadProviderId is not null)
        {
            errors.Add(new ApiError("expression_of_interest_lead_provider_id", "A school-led participant has no lead provider: leave expression_of_interest_lead_provider_id blank"));
        }

        if (request.FinishedOn < request.StartedOn)
        {
            errors.Add(new ApiError("finished_on", "finished_on must be on or after started_on"));
        }

        if (errors.Count > 0)
        {
            return ApiErrors.Unprocessable(errors);
        }

        var now = clock.UtcNowForDatabase();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var known = await connection.QuerySingleAsync<(bool School, bool Cohort, bool LeadProvider)>(new CommandDefinition(
            """
            SELECT EXISTS (SELECT 1 FROM partnerships.schools WHERE id = @SchoolId), EXISTS (SELECT 1 FROM partnerships.cohorts WHERE year = @Cohort),
                   @lp::uuid IS NULL OR EXISTS (SELECT 1 FROM partnerships.lead_providers WHERE id = @lp)
            """,
            new { request.SchoolId, request.Cohort, lp = request.ExpressionOfInterestLeadProviderId }, tx, cancellationToken: ct));
        if (!known.School || !known.Cohort || !known.LeadProvider)
        {
            return ApiErrors.Unprocessable([new ApiError(!known.School ? "school_id" : !known.Cohort ? "cohort" : "expression_of_interest_lead_provider_id", "is not in the register")]);
        }

        // One writer at a time per school, so a partnership confirmed now cannot miss this participant.
        await connection.ExecuteAsync(new CommandDefinition("SELECT 1 FROM partnerships.schools WHERE id = @SchoolId FOR UPDATE", request, tx, cancellationToken: ct));

        // A participant whose chosen lead provider already has a partnership with the school in the cohort joins it.
        var partnershipId = request.ExpressionOfInterestLeadProviderId is null ? null : await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            """
            SELECT id FROM partnerships.school_partnerships
            WHERE school_id = @SchoolId AND lead_provider_id = @ExpressionOfInterestLeadProviderId AND cohort_year = @Cohort
            ORDER BY created_at LIMIT 1
            """,
            request, tx, cancellationToken: ct));
        var period = new TrainingPeriod
        {
            Id = Guid.CreateVersion7(now),
            ParticipantId = request.ParticipantId ?? Guid.NewGuid(),
            Role = request.Role!,
            SchoolId = request.SchoolId!.Value,
            CohortYear = request.Cohort!.Value,
            TrainingProgramme = request.TrainingProgramme!,
            ExpressionOfInterestLeadProviderId = request.ExpressionOfInterestLeadProviderId,
            SchoolPartnershipId = partnershipId,
            StartedOn = request.StartedOn!.Value,
            FinishedOn = request.FinishedOn,
        };
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO partnerships.training_periods (id, participant_id, role, school_id, cohort_year, training_programme,
                expression_of_interest_lead_provider_id, school_partnership_id, started_on, finished_on, created_at, updated_at)
            VALUES (@Id, @ParticipantId, @Role, @SchoolId, @CohortYear, @TrainingProgramme, @ExpressionOfInterestLeadProviderId, @SchoolPartnershipId,
                @StartedOn, @FinishedOn, @now, @now)
            """,
            new
            {
                period.Id,
                period.ParticipantId,
                period.Role,
                period.SchoolId,
                period.CohortYear,
                period.TrainingProgramme,
                period.ExpressionOfInterestLeadProviderId,
                period.SchoolPartnershipId,
                period.StartedOn,
                period.FinishedOn,
                now
            }, tx, cancellationToken: ct));

        // The partnership's participants changed: lead providers see it in updated_at.
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE partnerships.school_partnerships SET api_updated_at = @now WHERE id = @SchoolPartnershipId",
            new { period.SchoolPartnershipId, now }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/support/training-periods/{period.Id}", new LeadProviderData.Envelope<TrainingPeriod>(period));
    }

    private static async Task<IResult> FinishTrainingPeriodAsync(Guid id, TrainingPeriodRequest request, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.UtcNowForDatabase();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var period = await connection.QuerySingleOrDefaultAsync<TrainingPeriod>(new CommandDefinition(
            """
            UPDATE partnerships.training_periods SET finished_on = @FinishedOn, updated_at = @now
            WHERE id = @id AND (@FinishedOn::date IS NULL OR @FinishedOn >= started_on)
            RETURNING id, participant_id, role, school_id, cohort_year, training_programme, expression_of_interest_lead_provider_id,
                      school_partnership_id, started_on, finished_on
            """,
            new { id, request.FinishedOn, now }, tx, cancellationToken: ct));
        if (period is null)
        {
            return ApiErrors.NotFound("Training period not found, or finished_on is before it started");
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE partnerships.school_partnerships SET api_updated_at = @now WHERE id = @SchoolPartnershipId",
            new { period.SchoolPartnershipId, now }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return TypedResults.Ok(new LeadProviderData.Envelope<TrainingPeriod>(period));
    }

    private static DynamicParameters Parameters(SchoolRequest s, object extra)
    {
        var parameters = new DynamicParameters(extra);
        parameters.AddDynamicParams(new
        {
            Urn = s.Urn?.Trim(),
            Name = s.Name?.Trim(),
            s.GiasStatus,
            TypeName = s.TypeName?.Trim(),
            InEngland = s.InEngland ?? true,
            Section41Approved = s.Section41Approved ?? false,
            MarkedAsEligible = s.MarkedAsEligible ?? false,
            InductionTutorName = Blank(s.InductionTutorName),
            InductionTutorEmail = Blank(s.InductionTutorEmail),
            PrimaryContactEmail = Blank(s.PrimaryContactEmail),
            SecondaryContactEmail = Blank(s.SecondaryContactEmail),
            Postcode = Blank(s.Postcode)?.ToUpperInvariant(),
        });
        return parameters;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
