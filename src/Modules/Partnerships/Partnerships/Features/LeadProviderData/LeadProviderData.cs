using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Http;

namespace Register.Partnerships.Features.LeadProviderData;

/// <summary>
/// Support endpoints that load the data behind the lead provider API: cohorts, lead providers (whose ids are
/// the organisation of <c>lead_provider_api</c> tokens), delivery partners, and the contracts between a lead
/// provider and a delivery partner in a cohort.
/// </summary>
internal static class LeadProviderData
{
    internal sealed record CohortRequest(int? Year, DateOnly? StartedOn, DateOnly? FinishedOn, bool? Enabled);

    internal sealed record Cohort
    {
        public int Year { get; init; }

        public DateOnly StartedOn { get; init; }

        public DateOnly FinishedOn { get; init; }

        public bool Enabled { get; init; }
    }

    internal sealed record NameRequest(string? Name);

    internal sealed record Named
    {
        public Guid Id { get; init; }

        public string Name { get; init; } = "";

        public DateTimeOffset CreatedAt { get; init; }
    }

    internal sealed record ContractRequest(Guid? DeliveryPartnerId, int? Cohort);

    internal sealed record Contract(Guid Id, Guid LeadProviderId, Guid DeliveryPartnerId, int Cohort);

    internal sealed record Envelope<T>(T Data);

    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/cohorts", CreateCohortAsync).WithName("CreateCohort").WithSummary("Add a cohort (contract period)")
            .Produces<Envelope<Cohort>>(StatusCodes.Status201Created).ProducesValidationErrors();
        group.MapPatch("/cohorts/{year:int}", UpdateCohortAsync).WithName("UpdateCohort").WithSummary("Open or close a cohort, or change its dates")
            .Produces<Envelope<Cohort>>().Produces(StatusCodes.Status404NotFound).ProducesValidationErrors();
        group.MapGet("/cohorts", async (NpgsqlDataSource db, CancellationToken ct) =>
            {
                await using var connection = await db.OpenConnectionAsync(ct);
                return TypedResults.Ok(new Envelope<IEnumerable<Cohort>>(await connection.QueryAsync<Cohort>(new CommandDefinition(
                    "SELECT year, started_on, finished_on, enabled FROM partnerships.cohorts ORDER BY year", cancellationToken: ct))));
            }).WithName("ListCohorts").WithSummary("Cohorts, oldest first");

        group.MapPost("/lead-providers", (NameRequest request, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct) =>
                CreateNamedAsync("lead_providers", "lead-providers", "A lead provider", request, db, clock, ct))
            .WithName("CreateLeadProvider").WithSummary("Add a lead provider").Produces<Envelope<Named>>(StatusCodes.Status201Created).ProducesValidationErrors();
        group.MapGet("/lead-providers", (NpgsqlDataSource db, CancellationToken ct) => ListNamedAsync("lead_providers", db, ct))
            .WithName("ListLeadProviders").WithSummary("Lead providers, by name")
            .Produces<Envelope<IEnumerable<Named>>>();
        group.MapPost("/delivery-partners", (NameRequest request, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct) =>
                CreateNamedAsync("delivery_partners", "delivery-partners", "A delivery partner", request, db, clock, ct))
            .WithName("CreateDeliveryPartner").WithSummary("Add a delivery partner").Produces<Envelope<Named>>(StatusCodes.Status201Created).ProducesValidationErrors();
        group.MapGet("/delivery-partners", (NpgsqlDataSource db, CancellationToken ct) => ListNamedAsync("delivery_partners", db, ct))
            .WithName("ListDeliveryPartners").WithSummary("Delivery partners, by name")
            .Produces<Envelope<IEnumerable<Named>>>();
        group.MapPatch("/delivery-partners/{id:guid}", RenameDeliveryPartnerAsync).WithName("RenameDeliveryPartner")
            .WithSummary("Rename a delivery partner").Produces<Envelope<Named>>().Produces(StatusCodes.Status404NotFound).ProducesValidationErrors();

        group.MapPost("/lead-providers/{id:guid}/delivery-partner-contracts", AddContractAsync).WithName("AddDeliveryPartnerContract")
            .WithSummary("Contract a delivery partner to a lead provider for a cohort").Produces<Envelope<Contract>>(StatusCodes.Status201Created)
            .Produces(StatusCodes.Status404NotFound).Produces(StatusCodes.Status409Conflict).ProducesValidationErrors();
    }

    private static async Task<IResult> CreateCohortAsync(CohortRequest request, NpgsqlDataSource db, CancellationToken ct)
    {
        var errors = CohortErrors(request.Year, request.StartedOn, request.FinishedOn).ToList();
        if (errors.Count > 0)
        {
            return ApiErrors.Unprocessable(errors);
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        var cohort = await connection.QuerySingleOrDefaultAsync<Cohort>(new CommandDefinition(
            """
            INSERT INTO partnerships.cohorts (year, started_on, finished_on, enabled) VALUES (@Year, @StartedOn, @FinishedOn, @enabled)
            ON CONFLICT (year) DO NOTHING RETURNING year, started_on, finished_on, enabled
            """,
            new { request.Year, request.StartedOn, request.FinishedOn, enabled = request.Enabled ?? false }, cancellationToken: ct));
        return cohort is null
            ? ApiErrors.Conflict($"Cohort {request.Year} already exists")
            : TypedResults.Created($"/support/cohorts/{cohort.Year}", new Envelope<Cohort>(cohort));
    }

    private static async Task<IResult> UpdateCohortAsync(int year, CohortRequest request, NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var existing = await connection.QuerySingleOrDefaultAsync<Cohort>(new CommandDefinition(
            "SELECT year, started_on, finished_on, enabled FROM partnerships.cohorts WHERE year = @year", new { year }, cancellationToken: ct));
        if (existing is null)
        {
            return ApiErrors.NotFound("Cohort not found");
        }

        var changed = existing with
        {
            StartedOn = request.StartedOn ?? existing.StartedOn,
            FinishedOn = request.FinishedOn ?? existing.FinishedOn,
            Enabled = request.Enabled ?? existing.Enabled,
        };
        var errors = CohortErrors(year, changed.StartedOn, changed.FinishedOn).ToList();
        if (errors.Count > 0)
        {
            return ApiErrors.Unprocessable(errors);
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE partnerships.cohorts SET started_on = @StartedOn, finished_on = @FinishedOn, enabled = @Enabled WHERE year = @Year", changed, cancellationToken: ct));
        return TypedResults.Ok(new Envelope<Cohort>(changed));
    }

    private static IEnumerable<ApiError> CohortErrors(int? year, DateOnly? startedOn, DateOnly? finishedOn)
    {
        if (year is null or < 2000 or > 2100)
        {
            yield return new ApiError("year", "year must be a year like 2025");
        }

        if (startedOn is null)
        {
            yield return new ApiError("started_on", "Enter the date the cohort starts");
        }

        if (finishedOn is null)
        {
            yield return new ApiError("finished_on", "Enter the date the cohort finishes");
        }
        else if (startedOn is not null && finishedOn < startedOn)
        {
            yield return new ApiError("finished_on", "The cohort must finish on or after the day it starts");
        }
    }

    private static async Task<IResult> CreateNamedAsync(string table, string path, string what, NameRequest request, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 255 || name.Any(char.IsControl))
        {
            return ApiErrors.Unprocessable([new ApiError("name", "Enter a name of up to 255 characters")]);
        }

        var now = clock.UtcNowForDatabase();
        var extra = table == "delivery_partners" ? ", api_updated_at" : "";
        await using var connection = await db.OpenConnectionAsync(ct);
        try
        {
            var created = await connection.QuerySingleAsync<Named>(new CommandDefinition(
                $"INSERT INTO partnerships.{table} (id, name, created_at{extra}) VALUES (@id, @name, @now{(extra.Length > 0 ? ", @now" : "")}) RETURNING id, name, created_at",
                new { id = Guid.CreateVersion7(now), name, now }, cancellationToken: ct));
            return TypedResults.Created($"/support/{path}/{created.Id}", new Envelope<Named>(created));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return ApiErrors.Unprocessable([new ApiError("name", $"{what} called '{name}' already exists")]);
        }
    }

    private static async Task<IResult> ListNamedAsync(string table, NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return TypedResults.Ok(new Envelope<IEnumerable<Named>>(await connection.QueryAsync<Named>(new CommandDefinition(
            $"SELECT id, name, created_at FROM partnerships.{table} ORDER BY lower(name), id", cancellationToken: ct))));
    }

    private static async Task<IResult> RenameDeliveryPartnerAsync(Guid id, NameRequest request, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 255 || name.Any(char.IsControl))
        {
            return ApiErrors.Unprocessable([new ApiError("name", "Enter a name of up to 255 characters")]);
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        try
        {
            // What lead providers see changes, so their updated_at moves (only if the name really changed).
            var renamed = await connection.QuerySingleOrDefaultAsync<Named>(new CommandDefinition(
                """
                UPDATE partnerships.delivery_partners
                SET name = @name, api_updated_at = CASE WHEN name IS DISTINCT FROM @name THEN @now ELSE api_updated_at END
                WHERE id = @id RETURNING id, name, created_at
                """,
                new { id, name, now = clock.UtcNowForDatabase() }, tx, cancellationToken: ct));
            if (renamed is null)
            {
                return ApiErrors.NotFound("Delivery partner not found");
            }

            // Partnerships show the delivery partner's name: lead providers see the change there too.
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE partnerships.school_partnerships sp SET api_updated_at = dp.api_updated_at
                FROM partnerships.lead_provider_delivery_partners lpdp, partnerships.delivery_partners dp
                WHERE lpdp.id = sp.lead_provider_delivery_partner_id AND dp.id = lpdp.delivery_partner_id AND dp.id = @id
                  AND sp.api_updated_at < dp.api_updated_at
                """,
                new { id }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            return TypedResults.Ok(new Envelope<Named>(renamed));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return ApiErrors.Unprocessable([new ApiError("name", $"A delivery partner called '{name}' already exists")]);
        }
    }

    private static async Task<IResult> AddContractAsync(Guid id, ContractRequest request, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        if (request.DeliveryPartnerId is null || request.Cohort is null)
        {
            return ApiErrors.Unprocessable(
            [
                .. request.DeliveryPartnerId is null ? [new ApiError("delivery_partner_id", "Enter a delivery partner")] : Array.Empty<ApiError>(),
                .. request.Cohort is null ? [new ApiError("cohort", "Enter a cohort")] : Array.Empty<ApiError>(),
            ]);
        }

        var now = clock.UtcNowForDatabase();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var known = await connection.QuerySingleAsync<(bool LeadProvider, bool DeliveryPartner, bool Cohort)>(new CommandDefinition(
            """
            SELECT EXISTS (SELECT 1 FROM partnerships.lead_providers WHERE id = @id),
                   EXISTS (SELECT 1 FROM partnerships.delivery_partners WHERE id = @DeliveryPartnerId),
                   EXISTS (SELECT 1 FROM partnerships.cohorts WHERE year = @Cohort)
            """,
            new { id, request.DeliveryPartnerId, request.Cohort }, tx, cancellationToken: ct));
        if (!known.LeadProvider)
        {
            return ApiErrors.NotFound("Lead provider not found");
        }

        if (!known.DeliveryPartner || !known.Cohort)
        {
            return ApiErrors.Unprocessable(
            [
                .. known.DeliveryPartner ? Array.Empty<ApiError>() : [new ApiError("delivery_partner_id", "delivery_partner_id is not a delivery partner in the register")],
                .. known.Cohort ? Array.Empty<ApiError>() : [new ApiError("cohort", $"Cohort {request.Cohort} does not exist")],
            ]);
        }

        var cohortId = await connection.ExecuteScalarAsync<Guid>(new CommandDefinition(
            """
            INSERT INTO partnerships.lead_provider_cohorts (id, lead_provider_id, cohort_year) VALUES (@newId, @id, @Cohort)
            ON CONFLICT (lead_provider_id, cohort_year) DO UPDATE SET cohort_year = excluded.cohort_year
            RETURNING id
            """,
            new { newId = Guid.CreateVersion7(now), id, request.Cohort }, tx, cancellationToken: ct));
        var contractId = await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            """
            INSERT INTO partnerships.lead_provider_delivery_partners (id, lead_provider_cohort_id, delivery_partner_id, created_at)
            VALUES (@newId, @cohortId, @DeliveryPartnerId, @now) ON CONFLICT DO NOTHING RETURNING id
            """,
            new { newId = Guid.CreateVersion7(now), cohortId, request.DeliveryPartnerId, now }, tx, cancellationToken: ct));
        if (contractId is null)
        {
            return ApiErrors.Conflict("The lead provider already has this delivery partner in this cohort");
        }

        // The delivery partner's cohort list changed for this lead provider.
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE partnerships.delivery_partners SET api_updated_at = @now WHERE id = @DeliveryPartnerId", new { now, request.DeliveryPartnerId }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/support/lead-providers/{id}/delivery-partner-contracts/{contractId}",
            new Envelope<Contract>(new Contract(contractId.Value, id, request.DeliveryPartnerId.Value, request.Cohort.Value)));
    }
}
