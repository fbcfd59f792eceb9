using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.Partnerships.Domain;

namespace Register.Partnerships.Features.ProviderPartnerships;

/// <summary>
/// <c>GET /support/providers/{id}/partnerships</c>: the provider's partnerships on either side, ordered by the
/// other partner's name, then start date, as the reference lists them.
/// </summary>
internal static class ListProviderPartnerships
{
    internal sealed record PartnershipList(IReadOnlyList<PartnershipResponse> Data);

    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/providers/{providerId:guid}/partnerships", HandleAsync)
            .WithName("ListProviderPartnerships")
            .WithSummary("A provider's partnerships, as accredited provider or training partner")
            .Produces<PartnershipList>();

    private static async Task<IResult> HandleAsync(Guid providerId, NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return TypedResults.Ok(new PartnershipList(await ListAsync(connection, providerId, ct)));
    }

    /// <summary>The provider's partnerships, by the other partner's name, then start date.</summary>
    public static async Task<IReadOnlyList<PartnershipResponse>> ListAsync(NpgsqlConnection connection, Guid providerId, CancellationToken ct)
    {
        var partnerships = await connection.QueryAsync<ProviderPartnership>(new CommandDefinition(
            """
            SELECT pp.id, pp.accredited_provider_id, pp.training_partner_id, pp.start_date, pp.end_date, pp.academic_years, pp.created_at, pp.updated_at
            FROM partnerships.provider_partnerships pp
            LEFT JOIN partnerships.partner_providers other
                   ON other.id = CASE WHEN pp.accredited_provider_id = @providerId THEN pp.training_partner_id ELSE pp.accredited_provider_id END
            WHERE pp.deleted_at IS NULL AND (pp.accredited_provider_id = @providerId OR pp.training_partner_id = @providerId)
            ORDER BY lower(other.operating_name), pp.start_date, pp.id
            """,
            new { providerId }, cancellationToken: ct));
        return await PartnershipResponse.ListAsync(connection, partnerships.AsList(), null, ct);
    }
}
