using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;
using Register.Providers.Domain;

namespace Register.Providers.Features.Providers;

/// <summary>
/// <c>POST /support/providers/{id}/archive</c> (the provider becomes read-only), <c>POST …/restore</c> (an
/// archived provider becomes editable again) and <c>DELETE /support/providers/{id}</c> (a soft delete: gone
/// from every list and API, its history kept).
/// </summary>
internal static class ChangeProviderState
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/providers/{id:guid}/archive", (Guid id, HttpContext http, TransactionRunner t, TimeProvider clock, CancellationToken ct) =>
                HandleAsync(id, RecordActions.Archived, http, t, clock, ct))
            .WithName("ArchiveProvider").WithSummary("Archive a provider (it becomes read-only)")
            .Produces<ProviderEnvelope>().Produces(StatusCodes.Status404NotFound).Produces(StatusCodes.Status409Conflict);
        group.MapPost("/providers/{id:guid}/restore", (Guid id, HttpContext http, TransactionRunner t, TimeProvider clock, CancellationToken ct) =>
                HandleAsync(id, RecordActions.Restored, http, t, clock, ct))
            .WithName("RestoreProvider").WithSummary("Restore an archived provider")
            .Produces<ProviderEnvelope>().Produces(StatusCodes.Status404NotFound).Produces(StatusCodes.Status409Conflict);
        group.MapDelete("/providers/{id:guid}", (Guid id, HttpContext http, TransactionRunner t, TimeProvider clock, CancellationToken ct) =>
                HandleAsync(id, RecordActions.Deleted, http, t, clock, ct))
            .WithName("DeleteProvider").WithSummary("Delete a provider (soft delete)")
            .Produces(StatusCodes.Status204NoContent).Produces(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> HandleAsync(Guid id, string action, HttpContext http, TransactionRunner t, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await RunAsync(t, clock, id, action, http.Caller().Actor, ct);
        return outcome.ToApiResult(changed => action == RecordActions.Deleted ? TypedResults.NoContent() : TypedResults.Ok(new ProviderEnvelope(changed)));
    }

    /// <summary>Archives, restores or deletes the provider (<see cref="RecordActions"/>): 404 if it is gone, 409 if it is already so.</summary>
    public static Task<Outcome<ProviderResponse>> RunAsync(TransactionRunner transactions, TimeProvider clock, Guid id, string action, Actor actor, CancellationToken ct) =>
        transactions.RunAsync(ProvidersModule.Schema, async tx =>
        {
            var provider = await Provider.FindAsync(tx.Connection!, id, tx, ct);
            if (provider is null)
            {
                return (Outcome<ProviderResponse>)ApiErrors.NotFound("Provider not found");
            }

            if (action == RecordActions.Archived && provider.IsArchived)
            {
                return ApiErrors.Conflict("The provider is already archived");
            }

            if (action == RecordActions.Restored && !provider.IsArchived)
            {
                return ApiErrors.Conflict("The provider is not archived");
            }

            var changed = await ProviderStore.SetStateAsync(tx, provider, action, actor, clock.UtcNowForDatabase(), ct);
            return action == RecordActions.Deleted
                ? ProviderResponse.Summary(changed, clock.TodayInLondon())
                : await ProviderResponse.FullAsync(tx.Connection!, changed, clock, ct, tx);
        }, ct);
}
