using Dapper;
using Mediator;
using Npgsql;
using Register.Providers.Contracts;
using Register.Providers.Domain;

namespace Register.Providers.Features.ProviderSnapshots;

/// <summary>Answers <see cref="ListProviderSnapshots"/> for modules filling their local copy of providers.</summary>
internal sealed class ListProviderSnapshotsHandler(NpgsqlDataSource db) : IRequestHandler<ListProviderSnapshots, IReadOnlyList<ProviderSnapshot>>
{
    public async ValueTask<IReadOnlyList<ProviderSnapshot>> Handle(ListProviderSnapshots request, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var providers = await connection.QueryAsync<Provider>(new CommandDefinition(
            $"SELECT {Provider.Columns} FROM providers.providers WHERE deleted_at IS NULL", cancellationToken: cancellationToken));
        return providers.Select(p => p.Snapshot()).ToList();
    }
}
