using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks.Http;
using Register.Providers.Domain;

namespace Register.Providers.Features.Providers;

/// <summary><c>GET /support/providers/{id}</c>: a provider with its accreditations, addresses and contacts. Deleted providers are gone.</summary>
internal static class GetProvider
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/providers/{id:guid}", HandleAsync)
            .WithName("GetProvider")
            .WithSummary("Show a provider with its accreditations, addresses and contacts")
            .Produces<ProviderEnvelope>()
            .Produces(StatusCodes.Status404NotFound);

    private static async Task<IResult> HandleAsync(Guid id, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var provider = await Provider.FindAsync(connection, id, null, ct);
        return provider is null
            ? ApiErrors.NotFound("Provider not found")
            : TypedResults.Ok(new ProviderEnvelope(await ProviderResponse.FullAsync(connection, provider, clock, ct)));
    }
}
