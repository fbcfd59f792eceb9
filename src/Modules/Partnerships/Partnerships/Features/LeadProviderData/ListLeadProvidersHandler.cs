using Dapper;
using Mediator;
using Npgsql;
using Register.Partnerships.Contracts;

namespace Register.Partnerships.Features.LeadProviderData;

/// <summary>Answers <see cref="ListLeadProviders"/>: every lead provider's id by name (names are unique, ignoring case).</summary>
internal sealed class ListLeadProvidersHandler(NpgsqlDataSource db) : IRequestHandler<ListLeadProviders, IReadOnlyDictionary<string, Guid>>
{
    public async ValueTask<IReadOnlyDictionary<string, Guid>> Handle(ListLeadProviders request, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Name, Guid Id)>(new CommandDefinition(
            "SELECT name, id FROM partnerships.lead_providers ORDER BY name", cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Name, r => r.Id, StringComparer.OrdinalIgnoreCase);
    }
}
