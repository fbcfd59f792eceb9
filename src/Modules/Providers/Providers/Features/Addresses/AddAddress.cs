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

/// <summary><c>POST /support/providers/{id}/addresses</c>: adds an address, entered whole (latitude, longitude and UPRN optional).</summary>
internal static class AddAddress
{
    internal sealed record AddressEnvelope(AddressResponse Data);

    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/providers/{providerId:guid}/addresses", HandleAsync)
            .WithName("AddAddress")
            .WithSummary("Add an address to a provider")
            .Produces<AddressEnvelope>(StatusCodes.Status201Created)
            .Produces(StatusCodes.Status404NotFound)
            .Produces(StatusCodes.Status409Conflict)
            .ProducesValidationErrors();

    private static async Task<IResult> HandleAsync(
        Guid providerId, CreateProvider.AddressRequest request, HttpContext http, TransactionRunner transactions, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await RunAsync(transactions, clock, providerId, request.ToDraft(), http.Caller().Actor, ct);
        return outcome.ToApiResult(a => TypedResults.Created($"/support/providers/{providerId}/addresses/{a.Id}", new AddressEnvelope(AddressResponse.From(a))));
    }

    public static Task<Outcome<Address>> RunAsync(TransactionRunner transactions, TimeProvider clock, Guid providerId, AddressDraft draft, Actor actor, CancellationToken ct)
    {
        var errors = Validation.Errors(AddressDraftValidator.Instance, draft).ToList();
        return transactions.RunAsync(ProvidersModule.Schema, async tx =>
        {
            var (provider, error) = await EditableProvider.FindAsync(tx, providerId, ct);
            if (provider is null)
            {
                return (Outcome<Address>)error!;
            }

            if (errors.Count > 0)
            {
                return ApiErrors.Unprocessable(errors);
            }

            return await PartStore.InsertAddressAsync(tx, provider.Id, draft, actor, clock.UtcNowForDatabase(), ct);
        }, ct);
    }
}
