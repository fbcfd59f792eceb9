using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;

namespace Register.Partnerships.Features.LeadProviderApi;

/// <summary>
/// <c>/api/v3/schools</c>: the schools a lead provider can partner with in one cohort (<c>filter[cohort]</c> is
/// required): those eligible now, and those already in a partnership in that cohort. Each shows the derived
/// fields for the calling lead provider; the induction tutor only where the school expressed interest in it.
/// </summary>
internal static class Schools
{
    internal sealed record SchoolAttributes(
        string Name, string Urn, string Cohort, bool InPartnership, string InductionProgrammeChoice, bool ExpressionOfInterest,
        string? InductionTutorName, string? InductionTutorEmail, string CreatedAt, string UpdatedAt);

    private sealed record Row
    {
        public Guid Id { get; init; }

        public string Name { get; init; } = "";

        public string Urn { get; init; } = "";

        public bool InPartnership { get; init; }

        public string InductionProgrammeChoice { get; init; } = "";

        public bool ExpressionOfInterest { get; init; }

        public string? InductionTutorName { get; init; }

        public string? InductionTutorEmail { get; init; }

        public DateTimeOffset CreatedAt { get; init; }

        public DateTimeOffset ApiUpdatedAt { get; init; }
    }

    // The school's updated_at for a cohort moves with the school itself, its partnerships in that cohort and its
    // participants (in any cohort: a lead provider's expression of interest changes every cohort's row, as the reference's).
    private const string Select =
        $"""
        SELECT * FROM (
            SELECT s.id, s.name, s.urn, {SchoolCohortFacts.InPartnership} AS in_partnership,
                   {SchoolCohortFacts.InductionProgrammeChoice} AS induction_programme_choice,
                   {SchoolCohortFacts.ExpressionOfInterest} AS expression_of_interest,
                   s.induction_tutor_name, coalesce(s.induction_tutor_email, s.primary_contact_email, s.secondary_contact_email) AS induction_tutor_email,
                   s.created_at,
                   greatest(s.updated_at,
                            (SELECT max(p.api_updated_at) FROM partnerships.school_partnerships p WHERE p.school_id = s.id AND p.cohort_year = @cohort),
                            (SELECT max(tp.updated_at) FROM partnerships.training_periods tp WHERE tp.school_id = s.id)) AS api_updated_at
            FROM partnerships.schools s
            WHERE EXISTS (SELECT 1 FROM partnerships.cohorts c WHERE c.year = @cohort)
              AND ({SchoolEligibility.Sql} OR {SchoolCohortFacts.InPartnership})
        ) school
        """;

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/schools", ListAsync).WithName("ListLeadProviderSchools").WithSummary("Schools you can partner with in a cohort (filter[cohort] required)")
            .WithCohortFilter(required: true).WithUpdatedSinceFilter().WithQueryParameter("filter[urn]", "string", "A comma list of school URNs")
            .WithResponseExample(StatusCodes.Status200OK, new ResourceList<SchoolAttributes>([new(
                Guid.Parse("0f1c8a4e-2b3d-4c5e-8f90-1a2b3c4d5e6f"), "school",
                new SchoolAttributes("Example Primary School", "123456", "2025", true, "provider_led", false, "Sam Jones", "sam.jones@school.example",
                    "2024-01-10T09:00:00Z", "2025-06-02T10:15:00Z"))]))
            .WithSort().WithPaging()
            .Produces<ResourceList<SchoolAttributes>>().Produces(StatusCodes.Status400BadRequest);
        group.MapGet("/schools/{id}", GetAsync).WithName("GetLeadProviderSchool").WithSummary("One school in a cohort (filter[cohort] required)")
            .WithCohortFilter(required: true)
            .Produces<ResourceEnvelope<SchoolAttributes>>().Produces(StatusCodes.Status400BadRequest).Produces(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> ListAsync(HttpContext http, NpgsqlDataSource db, CancellationToken ct)
    {
        var query = http.Request.Query;
        if (CheckCohortFilter(query) is { } bad)
        {
            return bad;
        }

        if (!LeadProviderQuery.TryUpdatedSince(query, out var since, out var error) || !LeadProviderQuery.TryPage(query, out var page, out var perPage, out error))
        {
            return error!;
        }

        var cohort = Cohort(query);
        var urns = query["filter[urn]"].ToString() is { Length: > 0 } urnFilter
            ? urnFilter.Split(',').Select(u => u.Trim()).Where(u => u.Length > 0 && u.All(char.IsAsciiDigit)).ToArray()
            : null;
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = cohort is null ? [] : await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            {Select}
            WHERE (@urns::text[] IS NULL OR school.urn = ANY(@urns)) AND (@since::timestamptz IS NULL OR school.api_updated_at >= @since)
            ORDER BY {LeadProviderQuery.OrderBy(query, "school.created_at", "school.api_updated_at", "school.id")}
            LIMIT @perPage OFFSET @offset
            """,
            new { cohort, leadProviderId = http.Caller().OrganisationId, urns, since, perPage, offset = (long)(page - 1) * perPage }, cancellationToken: ct));
        return TypedResults.Ok(new ResourceList<SchoolAttributes>(rows.Select(r => ToResource(r, cohort!.Value)).ToList()));
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, NpgsqlDataSource db, CancellationToken ct)
    {
        var query = http.Request.Query;
        if (CheckCohortFilter(query) is { } bad)
        {
            return bad;
        }

        var cohort = Cohort(query);
        if (cohort is null || !Guid.TryParse(id, out var schoolId))
        {
            return ApiErrors.NotFound(ErrorStyle.LeadProvider.NotFoundMessage);
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"{Select} WHERE school.id = @schoolId", new { cohort, leadProviderId = http.Caller().OrganisationId, schoolId }, cancellationToken: ct));
        return row is null
            ? ApiErrors.NotFound(ErrorStyle.LeadProvider.NotFoundMessage)
            : TypedResults.Ok(new ResourceEnvelope<SchoolAttributes>(ToResource(row, cohort.Value)));
    }

    /// <summary>The filter must name a cohort (its value may still be blank or unknown: then nothing matches).</summary>
    private static ApiErrorResult? CheckCohortFilter(IQueryCollection query) =>
        query.ContainsKey("filter[cohort]") ? null : LeadProviderQuery.BadParameter("The filter '#/cohort' must be included in your request");

    /// <summary>One cohort year, from the leading digits of the value; null when there are none.</summary>
    private static int? Cohort(IQueryCollection query)
    {
        var digits = new string(query["filter[cohort]"].ToString().Trim().TakeWhile(char.IsAsciiDigit).Take(9).ToArray());
        return digits.Length == 0 ? null : int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Resource<SchoolAttributes> ToResource(Row row, int cohort) => new(
        row.Id, "school",
        new SchoolAttributes(
            row.Name, row.Urn, cohort.ToString(System.Globalization.CultureInfo.InvariantCulture), row.InPartnership, row.InductionProgrammeChoice,
            row.ExpressionOfInterest,
            row.ExpressionOfInterest ? row.InductionTutorName : null, row.ExpressionOfInterest ? row.InductionTutorEmail : null,
            LeadProviderQuery.Time(row.CreatedAt), LeadProviderQuery.Time(row.ApiUpdatedAt)));
}
