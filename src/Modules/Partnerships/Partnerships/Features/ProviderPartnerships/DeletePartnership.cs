using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Outbox;
using Register.BuildingBlocks.Security;
using Register.Partnerships.Domain;

namespace Register.Partnerships.Features.ProviderPartnerships;

/// <summary><c>DELETE /support/partnerships/{id}</c>: a soft delete; its history stays in both providers' activity logs.</summary>
internal static class DeletePartnership
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapDelete("/partnerships/{id:guid}", HandleAsync)
            .WithName("DeletePartnership")
            .WithSummary("Delete a partnership")
            .Produces(StatusCodes.Status204NoContent)
            .Produces(StatusCodes.Status404NotFound)
            .Produces(StatusCodes.Status409Conflict);

    private static async Task<IResult> HandleAsync(Guid id, HttpContext http, TransactionRunner transactions, TimeProvider clock, CancellationToken ct) =>
        (await RunAsync(transactions, clock, id, http.Caller().Actor, ct)).ToApiResult(_ => TypedResults.NoContent());

    public static Task<Outcome<ProviderPartnership>> RunAsync(TransactionRunner transactions, TimeProvider clock, Guid id, Actor actor, CancellationToken ct) =>
        transactions.RunAsync(PartnershipsModule.Schema, async tx =>
        {
            var partnership = await ProviderPartnership.FindAsync(tx.Connection!, id, tx, ct);
            if (partnership is null)
            {
                return (Outcome<ProviderPartnership>)ApiErrors.NotFound("Partnership not found");
            }

            if (await ArchivedPartners.RefusalAsync(tx, partnership, ct) is { } refusal)
            {
                return ApiErrors.Conflict(refusal);
            }

            var now = clock.UtcNowForDatabase();
            await tx.Connection!.ExecuteAsync(new CommandDefinition(
                "UPDATE partnerships.provider_partnerships SET deleted_at = @now, updated_at = @now WHERE id = @id", new { id, now }, tx, cancellationToken: ct));
            await Outbox.EnqueueAsync(tx, PartnershipsModule.Schema, partnership.Changed(RecordActions.Deleted, actor, now, partnership), ct);
            return partnership;
        }, ct);
}
