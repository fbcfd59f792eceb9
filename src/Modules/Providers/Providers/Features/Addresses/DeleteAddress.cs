using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Security;
using Register.Providers.Domain;

namespace Register.Providers.Features.Addresses;

/// <summary><c>DELETE /support/providers/{id}/addresses/{addressId}</c>: a soft delete.</summary>
internal static class DeleteAddress
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapDelete("/providers/{providerId:guid}/addresses/{id:guid}", HandleAsync)
            .WithName("DeleteAddress")
            .WithSummary("Delete an address")
            .Produces(StatusCodes.Status204NoContent)
            .Produces(StatusCodes.Status404NotFound)
            .Produces(StatusCodes.Status409Conflict);

    private static async Task<IResult> HandleAsync(Guid providerId, Guid id, HttpContext http, TransactionRunner transactions, TimeProvider clock, CancellationToken ct)
    {
        var actor = http.Caller().Actor;
        return await transactions.RunAsync(ProvidersModule.Schema, async tx =>
        {
            var (provider, error) = await EditableProvider.FindAsync(tx, providerId, ct);
            if (provider is null)
            {
                return error!;
            }

            var address = await EditableProvider.FindPartAsync<Address>(tx, "addresses", Address.Columns, providerId, id, ct);
            if (address is null)
            {
                return EditableProvider.PartNotFound("Address");
            }

            await PartStore.DeleteAsync(tx, "addresses", "address", id, providerId, FieldChanges.Between(address.Fields(), null), actor, clock.UtcNowForDatabase(), ct);
            return TypedResults.NoContent();
        }, ct);
    }
}
