using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Outbox;
using Register.BuildingBlocks.Security;
using Register.Partnerships.Contracts;

namespace Register.Partnerships.Features.LeadProviderApi;

/// <summary>
/// <c>/api/v3/partnerships</c>: the calling lead provider's school partnerships. List (filters <c>cohort</c>,
/// <c>updated_since</c>, <c>delivery_partner_id</c>), show, create (200, with the reference's 422 messages, one
/// per lead provider, school and cohort even under concurrency) and change of delivery partner (PUT or PATCH).
/// </summary>
internal static class Partnerships
{
    internal sealed record PartnershipAttributes(
        string Cohort, string Urn, Guid SchoolId, Guid DeliveryPartnerId, string DeliveryPartnerName, string? InductionTutorName,
        string? InductionTutorEmail, long ParticipantsCurrentlyTraining, string CreatedAt, string UpdatedAt);

    private sealed record Row
    {
        public Guid Id { get; init; }

        public int CohortYear { get; init; }

        public string Urn { get; init; } = "";

        public Guid SchoolId { get; init; }

        public Guid DeliveryPartnerId { get; init; }

        public string DeliveryPartnerName { get; init; } = "";

        public string? InductionTutorName { get; init; }

        public string? InductionTutorEmail { get; init; }

        public long ParticipantsCurrentlyTraining { get; init; }

        public DateTimeOffset CreatedAt { get; init; }

        public DateTimeOffset ApiUpdatedAt { get; init; }
    }

    private const string Select =
        """
        SELECT sp.id, sp.cohort_year, s.urn, s.id AS school_id, dp.id AS delivery_partner_id, dp.name AS delivery_partner_name,
               s.induction_tutor_name, coalesce(s.induction_tutor_email, s.primary_contact_email, s.secondary_contact_email) AS induction_tutor_email,
               (SELECT count(*) FROM partnerships.training_periods tp
                WHERE tp.school_partnership_id = sp.id AND tp.started_on <= @today AND (tp.finished_on IS NULL OR tp.finished_on >= @today)) AS participants_currently_training,
               sp.created_at, sp.api_updated_at
        FROM partnerships.school_partnerships sp
        JOIN partnerships.schools s ON s.id = sp.school_id
        JOIN partnerships.lead_provider_delivery_partners lpdp ON lpdp.id = sp.lead_provider_delivery_partner_id
        JOIN partnerships.delivery_partners dp ON dp.id = lpdp.delivery_partner_id
        WHERE sp.lead_provider_id = @leadProviderId
        """;

    /// <summary>A partnership as the API shows it, for the document's examples.</summary>
    private static readonly Resource<PartnershipAttributes> Example = new(
        Guid.Parse("8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d"), "partnership",
        new PartnershipAttributes("2025", "123456", Guid.Parse("0f1c8a4e-2b3d-4c5e-8f90-1a2b3c4d5e6f"), Guid.Parse("5d6e7f80-9a0b-4c1d-8e2f-3a4b5c6d7e8f"),
            "Example Teaching School Hub", "Sam Jones", "sam.jones@school.example", 3, "2025-06-02T10:15:00Z", "2025-06-02T10:15:00Z"));

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/partnerships", ListAsync).WithName("ListLeadProviderPartnerships").WithSummary("Your partnerships with schools")
            .WithCohortFilter().WithUpdatedSinceFilter()
            .WithQueryParameter("filter[delivery_partner_id]", "string", "A comma list of delivery partner ids")
            .WithSort().WithPaging().WithSandboxClock()
            .Produces<ResourceList<PartnershipAttributes>>().Produces(StatusCodes.Status400BadRequest)
            .WithResponseExample(StatusCodes.Status200OK, new ResourceList<PartnershipAttributes>([Example]));
        group.MapGet("/partnerships/{id}", GetAsync).WithName("GetLeadProviderPartnership").WithSummary("One of your partnerships")
            .WithSandboxClock().Produces<ResourceEnvelope<PartnershipAttributes>>().Produces(StatusCodes.Status404NotFound)
            .WithResponseExample(StatusCodes.Status200OK, new ResourceEnvelope<PartnershipAttributes>(Example));
        group.MapPost("/partnerships", CreateAsync).WithName("CreateLeadProviderPartnership").WithSummary("Confirm a partnership with a school for a cohort")
            .WithSandboxClock().Accepts<PartnershipRequest>("application/json").Produces<ResourceEnvelope<PartnershipAttributes>>()
            .Produces(StatusCodes.Status400BadRequest).Produces(StatusCodes.Status422UnprocessableEntity)
            .WithRequestExample(new PartnershipRequest(new("partnership", new("2025", Guid.Parse("0f1c8a4e-2b3d-4c5e-8f90-1a2b3c4d5e6f"), Guid.Parse("5d6e7f80-9a0b-4c1d-8e2f-3a4b5c6d7e8f")))));
        group.MapMethods("/partnerships/{id}", ["PUT", "PATCH"], UpdateAsync).WithName("UpdateLeadProviderPartnership")
            .WithSummary("Change a partnership's delivery partner").WithSandboxClock().Accepts<PartnershipChangeRequest>("application/json")
            .Produces<ResourceEnvelope<PartnershipAttributes>>()
            .Produces(StatusCodes.Status400BadRequest).Produces(StatusCodes.Status404NotFound).Produces(StatusCodes.Status422UnprocessableEntity)
            .WithRequestExample(new PartnershipChangeRequest(new("partnership", new(Guid.Parse("5d6e7f80-9a0b-4c1d-8e2f-3a4b5c6d7e8f")))));
    }

    // A page of the list: the page's partnerships are found from the index alone (it holds what the filters read), then
    // only those rows are joined to their school and delivery partner and their training periods counted, so rows
    // skipped (OFFSET) or filtered out cost an index entry each, not a count of training periods.
    private static string ListSql(string where, string pageOrder, string order) =>
        $"""
        WITH page AS (
            SELECT sp.id, sp.school_id, sp.lead_provider_delivery_partner_id, sp.cohort_year, sp.created_at, sp.api_updated_at
            FROM partnerships.school_partnerships sp
            WHERE sp.lead_provider_id = @leadProviderId{where}
            ORDER BY {pageOrder}
            LIMIT @limit OFFSET @offset)
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
                     AND tp.started_on <= @today AND (tp.finished_on IS NULL OR tp.finished_on >= @today)
                   GROUP BY tp.school_partnership_id) training ON training.school_partnership_id = page.id
        ORDER BY {order}
        """;

    /// <summary>Where a page starts: the sort fields' values of its first row (in the order of the sort), then its id.</summary>
    private sealed record PageStart(DateTimeOffset[] Values, Guid Id);

    private static async Task<IResult> ListAsync(HttpContext http, NpgsqlDataSource db, LongLists lists, TimeProvider clock, CancellationToken ct)
    {
        clock = SandboxClock.For(http, clock);
        var query = http.Request.Query;
        if (!LeadProviderQuery.TryUpdatedSince(query, out var since, out var error) || !LeadProviderQuery.TryPage(query, out var page, out var perPage, out error))
        {
            return error!;
        }

        var leadProviderId = http.Caller().OrganisationId;
        var cohorts = LeadProviderQuery.Cohorts(query);
        var deliveryPartners = LeadProviderQuery.Ids(query, "delivery_partner_id");
        var sort = LeadProviderQuery.SortKeys(query);
        var filters = (cohorts is null ? "" : " AND sp.cohort_year = ANY(@cohorts)")
                      + (since is null ? "" : " AND sp.api_updated_at >= @since")
                      + (deliveryPartners is null ? "" : """
                           AND sp.lead_provider_delivery_partner_id IN (
                                SELECT f.id FROM partnerships.lead_provider_delivery_partners f WHERE f.delivery_partner_id = ANY(@deliveryPartners))
                          """);
        // Everything that selects and orders the rows: one lead provider's list is never another's, nor another filter's.
        var list = string.Join(' ', "lead-provider-partnerships", leadProviderId, cohorts is null ? "*" : string.Join(',', cohorts), since?.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "*",
            deliveryPartners is null ? "*" : string.Join(',', deliveryPartners), string.Join(',', sort.Select(k => $"{(k.Descending ? '-' : '+')}{(k.UpdatedAt ? 'u' : 'c')}")));
        // What selects the rows (for the count too); only what the SQL names is sent.
        var selecting = new DynamicParameters();
        selecting.Add("leadProviderId", leadProviderId);
        selecting.AddIfGiven("cohorts", cohorts);
        selecting.AddIfGiven("since", since);
        selecting.AddIfGiven("deliveryPartners", deliveryPartners);
        var parameters = new DynamicParameters(selecting);
        parameters.Add("today", clock.TodayInLondon());
        parameters.Add("limit", perPage + 1);
        await using var connection = await db.OpenConnectionAsync(ct);

        // The API shows no total, so a list is only counted (up to one past the exact limit) when a page reaches past
        // that limit: a long list's pages then start where this process last saw them start (LongLists).
        var offset = (long)(page - 1) * perPage;
        var start = lists.StartOf<PageStart>(list, page, perPage);
        var seek = "";
        if (start is not null)
        {
            seek = Seek(sort, start, parameters);
            parameters.Add("offset", 0L);
        }
        else if (offset + perPage > lists.ExactUpTo)
        {
            await IsLongAsync(lists, list, connection, filters, selecting, ct);
            parameters.Add("offset", offset);
        }
        else
        {
            parameters.Add("offset", offset);
        }

        var orderBy = LeadProviderQuery.OrderBy(sort, "sp.created_at", "sp.api_updated_at", "sp.id");
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
            ListSql(filters + seek, orderBy, LeadProviderQuery.OrderBy(sort, "page.created_at", "page.api_updated_at", "page.id")),
            parameters, cancellationToken: ct))).AsList();
        if (rows.Count > 0)
        {
            lists.Served(list, page, perPage, StartOf(sort, rows[0]), rows.Count > perPage ? StartOf(sort, rows[perPage]) : null);
        }

        var data = new List<Resource<PartnershipAttributes>>(Math.Min(rows.Count, perPage));
        for (var i = 0; i < rows.Count && i < perPage; i++)
        {
            data.Add(ToResource(rows[i]));
        }

        return TypedResults.Ok(new ResourceList<PartnershipAttributes>(data));
    }

    /// <summary>Whether the list has more than <see cref="LongLists.ExactUpTo"/> rows (the API shows no total, so none is counted).</summary>
    private static Task<bool> IsLongAsync(LongLists lists, string list, NpgsqlConnection connection, string filters, DynamicParameters parameters, CancellationToken ct) =>
        lists.IsLongAsync(list, limit =>
        {
            var countParameters = new DynamicParameters(parameters);
            countParameters.Add("countLimit", limit);
            return connection.ExecuteScalarAsync<long>(new CommandDefinition(
                $"SELECT count(*) FROM (SELECT 1 FROM partnerships.school_partnerships sp WHERE sp.lead_provider_id = @leadProviderId{filters} LIMIT @countLimit) c",
                countParameters, cancellationToken: ct));
        });

    /// <summary>
    /// The rows from <paramref name="start"/> on, in the sort's order, each field in its own direction: for fields
    /// k1..kn (the id last, ascending), k1 ≥ v1 AND (k1 &gt; v1 OR (k2 ≥ v2 AND (k2 &gt; v2 OR … kn ≥ vn))), with
    /// ≤/&lt; for a descending field. The first field bounds the index scan.
    /// </summary>
    private static string Seek(IReadOnlyList<SortKey> sort, PageStart start, DynamicParameters parameters)
    {
        var condition = "sp.id >= @startId";
        parameters.Add("startId", start.Id);
        for (var i = sort.Count - 1; i >= 0; i--)
        {
            var column = sort[i].UpdatedAt ? "sp.api_updated_at" : "sp.created_at";
            var (after, from) = sort[i].Descending ? ("<", "<=") : (">", ">=");
            parameters.Add($"start{i}", start.Values[i]);
            condition = $"{column} {from} @start{i} AND ({column} {after} @start{i} OR {condition})";
        }

        return $" AND {condition}";
    }

    private static void AddIfGiven<T>(this DynamicParameters parameters, string name, T? value)
    {
        if (value is not null)
        {
            parameters.Add(name, value);
        }
    }

    private static PageStart StartOf(IReadOnlyList<SortKey> sort, Row row) =>
        new(sort.Select(k => k.UpdatedAt ? row.ApiUpdatedAt : row.CreatedAt).ToArray(), row.Id);

    private static async Task<IResult> GetAsync(string id, HttpContext http, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        clock = SandboxClock.For(http, clock);
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = Guid.TryParse(id, out var partnershipId) ? await FindAsync(connection, null, http.Caller().OrganisationId, partnershipId, clock, ct) : null;
        return row is null ? ApiErrors.NotFound(ErrorStyle.LeadProvider.NotFoundMessage) : TypedResults.Ok(new ResourceEnvelope<PartnershipAttributes>(ToResource(row)));
    }

    private static async Task<IResult> CreateAsync(HttpContext http, NpgsqlDataSource db, OutboxDispatcher dispatcher, TimeProvider clock, CancellationToken ct)
    {
        clock = SandboxClock.For(http, clock);
        if (await LeadProviderQuery.AttributesAsync(http.Request, ct) is not { } attributes)
        {
            return LeadProviderQuery.BadBody();
        }

        var leadProviderId = http.Caller().OrganisationId!.Value;
        var today = clock.TodayInLondon();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var check = await CreatePartnershipRules.CheckAsync(tx, leadProviderId, attributes, today, ct);
        if (check.Errors.Count == 0)
        {
            // One writer at a time per school: a training period registered now cannot miss this partnership.
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT 1 FROM partnerships.schools WHERE id = @SchoolId FOR UPDATE", new { check.SchoolId }, tx, cancellationToken: ct));
        }

        if (check.Errors.Count > 0)
        {
            return ApiErrors.Unprocessable(check.Errors);
        }

        var now = clock.UtcNowForDatabase();
        var id = Guid.CreateVersion7(now);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO partnerships.school_partnerships
                    (id, school_id, lead_provider_delivery_partner_id, lead_provider_id, cohort_year, source, created_at, api_updated_at)
                VALUES (@id, @SchoolId, @ContractId, @leadProviderId, @CohortYear, 'lead_provider', @now, @now)
                """,
                new { id, check.SchoolId, check.ContractId, leadProviderId, check.CohortYear, now }, tx, cancellationToken: ct));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Another request confirmed the same partnership first.
            return ApiErrors.Unprocessable([new ApiError("school_id", CreatePartnershipRules.AlreadyInPartnership)]);
        }

        // The school's participants waiting for this lead provider in this cohort join the partnership.
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE partnerships.training_periods SET school_partnership_id = @id, updated_at = @now
            WHERE school_id = @SchoolId AND cohort_year = @CohortYear AND expression_of_interest_lead_provider_id = @leadProviderId AND school_partnership_id IS NULL
            """,
            new { id, check.SchoolId, check.CohortYear, leadProviderId, now }, tx, cancellationToken: ct));
        var row = await FindAsync(connection, tx, leadProviderId, id, clock, ct);
        await Outbox.EnqueueAsync(tx, PartnershipsModule.Schema, new SchoolPartnershipChanged(EventIds.Next(now), now, id, RecordActions.Created, http.Caller().Actor,
        [
            new FieldChange("school", null, $"{row!.Urn}"), new FieldChange("cohort", null, row.CohortYear.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new FieldChange("delivery_partner", null, row.DeliveryPartnerName),
        ]), ct);
        await tx.CommitAsync(ct);
        await dispatcher.DispatchAfterCommitAsync(PartnershipsModule.Schema, CancellationToken.None);
        return TypedResults.Ok(new ResourceEnvelope<PartnershipAttributes>(ToResource(row)));
    }

    private static async Task<IResult> UpdateAsync(string id, HttpContext http, NpgsqlDataSource db, OutboxDispatcher dispatcher, TimeProvider clock, CancellationToken ct)
    {
        clock = SandboxClock.For(http, clock);
        var leadProviderId = http.Caller().OrganisationId!.Value;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var partnership = Guid.TryParse(id, out var partnershipId) ? await FindAsync(connection, tx, leadProviderId, partnershipId, clock, ct, forUpdate: true) : null;
        if (partnership is null)
        {
            return ApiErrors.NotFound(ErrorStyle.LeadProvider.NotFoundMessage);
        }

        if (await LeadProviderQuery.AttributesAsync(http.Request, ct) is not { } attributes)
        {
            return LeadProviderQuery.BadBody();
        }

        var (contractId, error) = await CreatePartnershipRules.CheckNewDeliveryPartnerAsync(
            tx, leadProviderId, partnership.SchoolId, partnership.CohortYear, LeadProviderQuery.Text(attributes, "delivery_partner_id"), ct);
        if (error is not null)
        {
            return ApiErrors.Unprocessable([error]);
        }

        var now = clock.UtcNowForDatabase();
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE partnerships.school_partnerships SET lead_provider_delivery_partner_id = @contractId, api_updated_at = @now WHERE id = @partnershipId",
                new { contractId, now, partnershipId }, tx, cancellationToken: ct));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Another partnership of the school moved to this delivery partner at the same moment.
            return ApiErrors.Unprocessable([new ApiError("delivery_partner_id", CreatePartnershipRules.AlreadyWithDeliveryPartner)]);
        }
        var row = await FindAsync(connection, tx, leadProviderId, partnershipId, clock, ct);
        await Outbox.EnqueueAsync(tx, PartnershipsModule.Schema, new SchoolPartnershipChanged(EventIds.Next(now), now, partnershipId, RecordActions.Updated, http.Caller().Actor,
            [new FieldChange("delivery_partner", partnership.DeliveryPartnerName, row!.DeliveryPartnerName)]), ct);
        await tx.CommitAsync(ct);
        await dispatcher.DispatchAfterCommitAsync(PartnershipsModule.Schema, CancellationToken.None);
        return TypedResults.Ok(new ResourceEnvelope<PartnershipAttributes>(ToResource(row)));
    }

    private static Task<Row?> FindAsync(
        NpgsqlConnection connection, NpgsqlTransaction? tx, Guid? leadProviderId, Guid id, TimeProvider clock, CancellationToken ct, bool forUpdate = false) =>
        connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"{Select} AND sp.id = @id" + (forUpdate ? " FOR UPDATE OF sp" : ""),
            new { leadProviderId, id, today = clock.TodayInLondon() }, tx, cancellationToken: ct));

    private static Resource<PartnershipAttributes> ToResource(Row row) => new(
        row.Id, "partnership",
        new PartnershipAttributes(
            row.CohortYear.ToString(System.Globalization.CultureInfo.InvariantCulture), row.Urn, row.SchoolId, row.DeliveryPartnerId, row.DeliveryPartnerName,
            row.InductionTutorName, row.InductionTutorEmail, row.ParticipantsCurrentlyTraining, LeadProviderQuery.Time(row.CreatedAt), LeadProviderQuery.Time(row.ApiUpdatedAt)));
}
