using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;
using Register.Providers.Domain;

namespace Register.Providers.Features.Accreditations;

/// <summary><c>DELETE /support/providers/{id}/accreditations/{accreditationId}</c>: a soft delete; the provider's status then follows what is left.</summary>
internal static class DeleteAccreditation
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapDelete("/providers/{providerId:guid}/accreditations/{id:guid}", HandleAsync)
            .WithName("DeleteAccreditation")
            .WithSummary("Delete an accreditation")
            .Produces(StatusCodes.Status204NoContent)
            .Produces(StatusCodes.Status404NotFound)
            .Produces(StatusCodes.Status409Conflict);

    private static async Task<IResult> HandleAsync(Guid providerId, Guid id, HttpContext http, TransactionRunner transactions, TimeProvider clock, CancellationToken ct) =>
        (await RunAsync(transactions, clock, providerId, id, http.Caller().Actor, ct)).ToApiResult(_ => TypedResults.NoContent());

    public static Task<Outcome<Accreditation>> RunAsync(TransactionRunner transactions, TimeProvider clock, Guid providerId, Guid id, Register.BuildingBlocks.Contracts.Actor actor, CancellationToken ct) =>
        DeletePart.RunAsync(transactions, clock, actor, providerId, id, PartKinds.Accreditations, ct,
            (tx, now) => ProviderStore.SyncAccreditationStatusAsync(tx, providerId, clock.TodayInLondon(), now, ct));
}
