using System.Globalization;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;

namespace Register.Partnerships.Features.LeadProviderApi;

/// <summary>
/// <c>GET /api/v3/delivery-partners</c> and <c>GET /api/v3/delivery-partners/{id}</c>: the delivery partners the
/// calling lead provider has a contract with (in the cohorts of <c>filter[cohort]</c>, or any), each with the
/// years of those contracts. Another lead provider's delivery partner is a 404.
/// </summary>
internal static class DeliveryPartners
{
    internal sealed record DeliveryPartnerAttributes(string Name, string CreatedAt, string UpdatedAt, IReadOnlyList<string> Cohort);

    private sealed record Row
    {
        public Guid Id { get; init; }

        public string Name { get; init; } = "";

        public DateTimeOffset CreatedAt { get; init; }

        public DateTimeOffset ApiUpdatedAt { get; init; }

        public int[] Cohorts { get; init; } = [];
    }

    private const string Select =
        """
        SELECT dp.id, dp.name, dp.created_at, dp.api_updated_at,
               array_agg(DISTINCT lpc.cohort_year ORDER BY lpc.cohort_year) AS cohorts
        FROM partnerships.delivery_partners dp
        JOIN partnerships.lead_provider_delivery_partners lpdp ON lpdp.delivery_partner_id = dp.id
        JOIN partnerships.lead_provider_cohorts lpc ON lpc.id = lpdp.lead_provider_cohort_id AND lpc.lead_provider_id = @leadProviderId
        """;

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/delivery-partners", ListAsync)
            .WithName("ListLeadProviderDeliveryPartners")
            .WithSummary("Delivery partners you have a contract with")
            .WithCohortFilter().WithSort().WithPaging()
            .WithResponseExample(StatusCodes.Status200OK, new ResourceList<DeliveryPartnerAttributes>([new(
                Guid.Parse("5d6e7f80-9a0b-4c1d-8e2f-3a4b5c6d7e8f"), "delivery-partner",
                new DeliveryPartnerAttributes("Example Teaching School Hub", "2024-01-10T09:00:00Z", "2025-06-02T10:15:00Z", ["2024", "2025"]))]))
            .Produces<ResourceList<DeliveryPartnerAttributes>>()
            .Produces(StatusCodes.Status400BadRequest);
        group.MapGet("/delivery-partners/{id}", GetAsync)
            .WithName("GetLeadProviderDeliveryPartner")
            .WithSummary("One delivery partner you have a contract with")
            .Produces<ResourceEnvelope<DeliveryPartnerAttributes>>()
            .Produces(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> ListAsync(HttpContext http, NpgsqlDataSource db, CancellationToken ct)
    {
        var query = http.Request.Query;
        if (!LeadProviderQuery.TryPage(query, out var page, out var perPage, out var pageError))
        {
            return pageError!;
        }

        var cohorts = LeadProviderQuery.Cohorts(query);
        var orderBy = LeadProviderQuery.OrderBy(query, "dp.created_at", "dp.api_updated_at", "dp.id");
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            {Select}
            WHERE (@cohorts::int[] IS NULL OR EXISTS (
                SELECT 1 FROM partnerships.lead_provider_delivery_partners f
                JOIN partnerships.lead_provider_cohorts fc ON fc.id = f.lead_provider_cohort_id
                WHERE f.delivery_partner_id = dp.id AND fc.lead_provider_id = @leadProviderId AND fc.cohort_year = ANY(@cohorts)))
            GROUP BY dp.id
            ORDER BY {orderBy}
            LIMIT @perPage OFFSET @offset
            """,
            new { leadProviderId = http.Caller().OrganisationId, cohorts, perPage, offset = (long)(page - 1) * perPage }, cancellationToken: ct));
        return TypedResults.Ok(new ResourceList<DeliveryPartnerAttributes>(rows.Select(ToResource).ToList()));
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, NpgsqlDataSource db, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var deliveryPartnerId))
        {
            return ApiErrors.NotFound(ErrorStyle.LeadProvider.NotFoundMessage);
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"{Select} WHERE dp.id = @deliveryPartnerId GROUP BY dp.id",
            new { leadProviderId = http.Caller().OrganisationId, deliveryPartnerId }, cancellationToken: ct));
        return row is null
            ? ApiErrors.NotFound(ErrorStyle.LeadProvider.NotFoundMessage)
            : TypedResults.Ok(new ResourceEnvelope<DeliveryPartnerAttributes>(ToResource(row)));
    }

    private static Resource<DeliveryPartnerAttributes> ToResource(Row row) => new(
        row.Id, "delivery-partner",
        new DeliveryPartnerAttributes(row.Name, LeadProviderQuery.Time(row.CreatedAt), LeadProviderQuery.Time(row.ApiUpdatedAt),
            row.Cohorts.Select(y => y.ToString(CultureInfo.InvariantCulture)).ToList()));
}
