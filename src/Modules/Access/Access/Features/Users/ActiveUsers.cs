using Dapper;
using Npgsql;
using Register.Access.Features.ApiClients;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Http;

namespace Register.Access.Features.Users;

/// <summary>
/// What deactivating or deleting a user involves: the minimum-active-users rule (409, checked under a lock so two
/// support users cannot each take the last place), and, once done, the end of the user's sessions and the revocation
/// of their API clients' tokens (a deleted user's clients are deleted too, as in the reference).
/// </summary>
internal static class ActiveUsers
{
    public static async Task<ApiErrorResult?> RefusalAsync(NpgsqlTransaction tx, Guid leaving, int minimum, CancellationToken ct)
    {
        await tx.Connection!.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtextextended('access.active-users', 0))", transaction: tx, cancellationToken: ct));
        var remaining = await tx.Connection!.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*)::int FROM access.users WHERE deleted_at IS NULL AND active AND role <> 'provider' AND id <> @leaving", new { leaving }, tx, cancellationToken: ct));
        return remaining < minimum
            ? ApiErrors.Conflict($"At least {minimum} active users must remain. Add or activate another user first.")
            : null;
    }

    /// <summary>Ends the user's sessions and revokes (or, when <paramref name="deleteClients"/>, deletes) the API clients they created.</summary>
    public static async Task WithdrawAccessAsync(NpgsqlTransaction tx, Guid userId, bool deleteClients, Actor actor, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.UtcNowForDatabase();
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE access.user_sessions SET ended_at = @now WHERE user_id = @userId AND ended_at IS NULL", new { userId, now }, tx, cancellationToken: ct));
        var clients = await tx.Connection!.QueryAsync<ApiClient>(new CommandDefinition(
            $"SELECT {ApiClient.Columns} FROM access.api_clients WHERE created_by_id = @userId AND deleted_at IS NULL ORDER BY id FOR UPDATE",
            new { userId }, tx, cancellationToken: ct));
        foreach (var client in clients)
        {
            var live = client.RevokedAt is null ? await RevokeApiClient.RevokeAsync(tx, client, actor, clock, ct) : client;
            if (deleteClients)
            {
                await DeleteApiClient.DeleteAsync(tx, live, actor, now, ct);
            }
        }
    }
}
