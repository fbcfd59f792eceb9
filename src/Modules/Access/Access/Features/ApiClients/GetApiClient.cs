using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks.Http;

namespace Register.Access.Features.ApiClients;

/// <summary><c>GET /support/api-clients/{id}</c>: one client (never its token).</summary>
internal static class GetApiClient
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/api-clients/{id:guid}", HandleAsync)
            .WithName("GetApiClient")
            .WithSummary("Show an API client")
            .Produces<ApiClientEnvelope>()
            .Produces(StatusCodes.Status404NotFound);

    private static async Task<IResult> HandleAsync(Guid id, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var client = await ApiClient.FindAsync(connection, id, forUpdate: null, ct);
        return client is null ? ApiErrors.NotFound("API client not found") : TypedResults.Ok(new ApiClientEnvelope(client.ToResponse(clock)));
    }
}
