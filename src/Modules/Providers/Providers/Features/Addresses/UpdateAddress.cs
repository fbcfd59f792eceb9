using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;
using Register.Providers.Domain;
using Register.Providers.Features.Providers;

namespace Register.Providers.Features.Addresses;

/// <summary><c>PATCH /support/providers/{id}/addresses/{addressId}</c>: changes the fields given (a blank string clears an optional one).</summary>
internal static class UpdateAddress
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapPatch("/providers/{providerId:guid}/addresses/{id:guid}", HandleAsync)
            .WithName("UpdateAddress")
            .WithSummary("Change an address")
            .Produces<AddAddress.AddressEnvelope>()
            .Produces(StatusCodes.Status404NotFound)
            .Produces(StatusCodes.Status409Conflict)
            .ProducesValidationErrors();

    private static async Task<IResult> HandleAsync(
        Guid providerId, Guid id, CreateProvider.AddressRequest request, HttpContext http, TransactionRunner transactions, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await RunAsync(transactions, clock, providerId, id, request, http.Caller().Actor, ct);
        return outcome.ToApiResult(a => TypedResults.Ok(new AddAddress.AddressEnvelope(AddressResponse.From(a))));
    }

    public static Task<Outcome<Address>> RunAsync(
        TransactionRunner transactions, TimeProvider clock, Guid providerId, Guid id, CreateProvider.AddressRequest request, Actor actor, CancellationToken ct) =>
        transactions.RunAsync(ProvidersModule.Schema, async tx =>
        {
            var (provider, before, error) = await EditableProvider.FindWithPartAsync(tx, PartKinds.Addresses, providerId, id, ct);
            if (provider is null || before is null)
            {
                return (Outcome<Address>)error!;
            }

            var lines = new AddressDraft(
                request.AddressLine1 ?? before.AddressLine1, request.AddressLine2 ?? before.AddressLine2, request.AddressLine3 ?? before.AddressLine3,
                request.TownOrCity ?? before.TownOrCity, request.County ?? before.County, request.Postcode ?? before.Postcode, null, null, null).Normalised();
            // The location and UPRN belong to the address they were found for: a moved address without new ones has none.
            var moved = (lines.AddressLine1, lines.AddressLine2, lines.AddressLine3, lines.TownOrCity, lines.Postcode)
                != (before.AddressLine1, before.AddressLine2, before.AddressLine3, before.TownOrCity, before.Postcode);
            var draft = lines with
            {
                Latitude = request.Latitude ?? (moved ? null : before.Latitude),
                Longitude = request.Longitude ?? (moved ? null : before.Longitude),
                Uprn = request.Uprn ?? (moved ? null : before.Uprn),
            };
            var errors = Validation.Errors(AddressDraftValidator.Instance, draft).ToList();
            if (errors.Count > 0)
            {
                return ApiErrors.Unprocessable(errors);
            }

            return await PartStore.UpdateAddressAsync(tx, before, draft, actor, clock.UtcNowForDatabase(), ct);
        }, ct);
}
