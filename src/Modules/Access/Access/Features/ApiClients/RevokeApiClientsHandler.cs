using Dapper;
using Mediator;
using Register.Access.Contracts;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;

namespace Register.Access.Features.ApiClients;

/// <summary>Answers <see cref="RevokeApiClients"/>: each matching live client revoked as the endpoint revokes one.</summary>
internal sealed class RevokeApiClientsHandler(TransactionRunner transactions, TimeProvider clock) : IRequestHandler<RevokeApiClients, int>
{
    public async ValueTask<int> Handle(RevokeApiClients request, CancellationToken cancellationToken) =>
        await transactions.RunAsync(AccessModule.Schema, async tx =>
        {
            var clients = await tx.Connection!.QueryAsync<ApiClient>(new CommandDefinition(
                $"""
                SELECT {ApiClient.Columns} FROM access.api_clients
                WHERE audience = @Audience AND organisation_id = @OrganisationId AND starts_with(name, @NamePrefix) AND revoked_at IS NULL AND deleted_at IS NULL
                FOR UPDATE
                """,
                request, tx, cancellationToken: cancellationToken));
            var count = 0;
            foreach (var client in clients)
            {
                await RevokeApiClient.RevokeAsync(tx, client, Actor.CommandLine, clock, cancellationToken);
                count++;
            }

            return count;
        }, cancellationToken);
}
