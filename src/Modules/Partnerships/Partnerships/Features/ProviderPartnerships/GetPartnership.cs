using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks.Http;
using Register.Partnerships.Domain;

namespace Register.Partnerships.Features.ProviderPartnerships;

/// <summary><c>GET /support/partnerships/{id}</c>.</summary>
internal static class GetPartnership
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/partnerships/{id:guid}", HandleAsync)
            .WithName("GetPartnership")
            .WithSummary("Show a partnership")
            .Produces<PartnershipEnvelope>()
            .Produces(StatusCodes.Status404NotFound);

    private static async Task<IResult> HandleAsync(Guid id, NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var partnership = await ProviderPartnership.FindAsync(connection, id, null, ct);
        return partnership is null
            ? ApiErrors.NotFound("Partnership not found")
            : TypedResults.Ok(new PartnershipEnvelope(await PartnershipResponse.FromAsync(connection, partnership, null, ct)));
    }
}
