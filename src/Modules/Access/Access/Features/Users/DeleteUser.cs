using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Outbox;
using Register.BuildingBlocks.Security;

namespace Register.Access.Features.Users;

/// <summary>
/// <c>DELETE /support/users/{id}</c> (a support or API user; 404 for a provider user): a soft delete, never undone. Not one's own account or a system admin's (403); an
/// active user only while the minimum of active users remains (409). The user's sessions end, and their API clients are
/// revoked and deleted.
/// </summary>
internal static class DeleteUser
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapDelete("/users/{id:guid}", HandleAsync)
            .WithName("DeleteUser")
            .WithSummary("Delete a user (their API clients are revoked and deleted)")
            .Produces(StatusCodes.Status204NoContent)
            .Produces(StatusCodes.Status403Forbidden)
            .Produces(StatusCodes.Status404NotFound)
            .Produces(StatusCodes.Status409Conflict);

    private static async Task<IResult> HandleAsync(
        Guid id, HttpContext http, TransactionRunner transactions, IOptions<UserOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await RunAsync(transactions, options.Value, id, null, http.Caller().Actor, null, clock, ct);
        return outcome.ToApiResult(_ => TypedResults.NoContent());
    }

    /// <summary>
    /// Deletes a support or API user, or, with <paramref name="providerId"/>, a user of that provider (404 for anyone
    /// else's). Provider users do not count towards the minimum of active users.
    /// </summary>
    public static Task<Outcome<User>> RunAsync(
        TransactionRunner transactions, UserOptions options, Guid id, Guid? providerId, Actor actor, Guid? actingUserId, TimeProvider clock, CancellationToken ct) =>
        transactions.RunAsync(AccessModule.Schema, async tx =>
        {
            var user = providerId is { } provider
                ? await User.FindOfProviderAsync(tx.Connection!, provider, id, tx, ct)
                : await User.FindSupportAsync(tx.Connection!, id, tx, ct);
            if (user is null)
            {
                return (Outcome<User>)ApiErrors.NotFound("User not found");
            }

            if (UpdateUser.Forbidden(user, actingUserId) is { } forbidden)
            {
                return forbidden;
            }

            if (user.Active && !user.IsProviderUser && await ActiveUsers.RefusalAsync(tx, user.Id, options.MinimumActiveUsers, ct) is { } refusal)
            {
                return refusal;
            }

            var now = clock.UtcNowForDatabase();
            await tx.Connection!.ExecuteAsync(new CommandDefinition(
                "UPDATE access.users SET deleted_at = @now, updated_at = @now WHERE id = @id", new { id, now }, tx, cancellationToken: ct));
            await Outbox.EnqueueAsync(tx, AccessModule.Schema, user.Changed(RecordActions.Deleted, actor, now, user), ct);
            await ActiveUsers.WithdrawAccessAsync(tx, user.Id, deleteClients: true, actor, clock, ct);
            return user;
        }, ct);
}
