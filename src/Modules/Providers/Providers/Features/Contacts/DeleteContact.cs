using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;
using Register.Providers.Domain;

namespace Register.Providers.Features.Contacts;

/// <summary><c>DELETE /support/providers/{id}/contacts/{contactId}</c>: a soft delete (its email stays taken for this provider, as in the reference).</summary>
internal static class DeleteContact
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapDelete("/providers/{providerId:guid}/contacts/{id:guid}", HandleAsync)
            .WithName("DeleteContact")
            .WithSummary("Delete a contact")
            .Produces(StatusCodes.Status204NoContent)
            .Produces(StatusCodes.Status404NotFound)
            .Produces(StatusCodes.Status409Conflict);

    private static async Task<IResult> HandleAsync(Guid providerId, Guid id, HttpContext http, TransactionRunner transactions, TimeProvider clock, CancellationToken ct) =>
        (await RunAsync(transactions, clock, providerId, id, http.Caller().Actor, ct)).ToApiResult(_ => TypedResults.NoContent());

    public static Task<Outcome<Contact>> RunAsync(TransactionRunner transactions, TimeProvider clock, Guid providerId, Guid id, Register.BuildingBlocks.Contracts.Actor actor, CancellationToken ct) =>
        DeletePart.RunAsync(transactions, clock, actor, providerId, id, PartKinds.Contacts, ct);
}
