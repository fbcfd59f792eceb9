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
/// <c>POST /support/api-clients/{id}/revoke</c>: the client's token stops working at once; the client stays
/// listed as revoked, for the record. Revoking it again is a 409.
/// </summary>
internal static class RevokeApiClient
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/api-clients/{id:guid}/revoke", HandleAsync)
            .WithName("RevokeApiClient")
            .WithSummary("Revoke an API client's token")
            .Produces<ApiClientEnvelope>()
            .Produces(StatusCodes.Status404NotFound)
            .Produces(StatusCodes.Status409Conflict);

    private static async Task<IResult> HandleAsync(Guid id, HttpContext http, TransactionRunner transactions, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await RunAsync(transactions, id, http.Caller().Actor, clock, ct);
        return outcome.ToApiResult(client => TypedResults.Ok(new ApiClientEnvelope(client.ToResponse(clock))));
    }

    public static Task<Outcome<ApiClient>> RunAsync(TransactionRunner transactions, Guid id, Actor actor, TimeProvider clock, CancellationToken ct) =>
        transactions.RunAsync(AccessModule.Schema, async tx =>
        {
            var found = await ApiClient.FindAsync(tx.Connection!, id, tx, ct);
            return found is null ? ApiErrors.NotFound("API client not found")
                : found.RevokedAt is not null ? ApiErrors.Conflict("API client is already revoked")
                : (Outcome<ApiClient>)await RevokeAsync(tx, found, actor, clock, ct);
        }, ct);

    /// <summary>Revokes a live client in the caller's transaction, with its notification.</summary>
    internal static async Task<ApiClient> RevokeAsync(Npgsql.NpgsqlTransaction tx, ApiClient client, Actor actor, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.UtcNowForDatabase();
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE access.api_clients SET revoked_at = @now, revoked_by_name = @by, updated_at = @now WHERE id = @Id",
            new { client.Id, now, by = actor.Name }, tx, cancellationToken: ct));
        var revoked = client with { RevokedAt = now, RevokedByName = actor.Name, UpdatedAt = now };
        await Outbox.EnqueueAsync(tx, AccessModule.Schema,
            revoked.Changed(RecordActions.Revoked, actor, now, [new FieldChange("status", client.Status(clock.TodayInLondon()), "revoked")]), ct);
        return revoked;
    }
}
