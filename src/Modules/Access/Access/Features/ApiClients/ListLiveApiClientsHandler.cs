using Dapper;
using Mediator;
using Npgsql;
using Register.Access.Contracts;
using Register.BuildingBlocks;

namespace Register.Access.Features.ApiClients;

/// <summary>Answers <see cref="ListLiveApiClients"/>: live as token authentication counts it (not revoked, deleted or past its expiry day).</summary>
internal sealed class ListLiveApiClientsHandler(NpgsqlDataSource db, TimeProvider clock) : IRequestHandler<ListLiveApiClients, IReadOnlyList<string>>
{
    public async ValueTask<IReadOnlyList<string>> Handle(ListLiveApiClients request, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var names = await connection.QueryAsync<string>(new CommandDefinition(
            """
            SELECT name FROM access.api_clients
            WHERE audience = @Audience AND organisation_id = @OrganisationId AND revoked_at IS NULL AND deleted_at IS NULL AND expires_on >= @today
            ORDER BY created_at, id
            """,
            new { request.Audience, request.OrganisationId, today = clock.TodayInLondon() }, cancellationToken: cancellationToken));
        return names.AsList();
    }
}
