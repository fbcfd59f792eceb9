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

namespace Register.Access.Features.ApiClients;

/// <summary>
/// <c>DELETE /support/api-clients/{id}</c>: for clients created in error. The client disappears from lists
/// and its token stops working; the row is kept (soft delete) so the activity log still names it.
/// </summary>
internal static class DeleteApiClient
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapDelete("/api-clients/{id:guid}", HandleAsync)
            .WithName("DeleteApiClient")
            .WithSummary("Delete an API client")
            .Produces(StatusCodes.Status204NoContent)
            .Produces(StatusCodes.Status404NotFound);

    private static async Task<IResult> HandleAsync(Guid id, HttpContext http, TransactionRunner transactions, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await RunAsync(transactions, id, http.Caller().Actor, clock, ct);
        return outcome.ToApiResult(_ => TypedResults.NoContent());
    }

    public static Task<Outcome<ApiClient>> RunAsync(TransactionRunner transactions, Guid id, Actor actor, TimeProvider clock, CancellationToken ct) =>
        transactions.RunAsync(AccessModule.Schema, async tx =>
        {
            var client = await ApiClient.FindAsync(tx.Connection!, id, tx, ct);
            if (client is null)
            {
                return (Outcome<ApiClient>)ApiErrors.NotFound("API client not found");
            }

            await DeleteAsync(tx, client, actor, clock.UtcNowForDatabase(), ct);
            return client;
        }, ct);

    /// <summary>Deletes a client in the caller's transaction, with its notification; its token stops working with it.</summary>
    internal static async Task DeleteAsync(Npgsql.NpgsqlTransaction tx, ApiClient client, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE access.api_clients SET deleted_at = @now, updated_at = @now WHERE id = @Id", new { client.Id, now }, tx, cancellationToken: ct));
        await Outbox.EnqueueAsync(tx, AccessModule.Schema, client.Changed(RecordActions.Deleted, actor, now, []), ct);
    }
}
