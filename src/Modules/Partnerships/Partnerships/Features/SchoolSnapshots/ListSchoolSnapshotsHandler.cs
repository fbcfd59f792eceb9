using Dapper;
using Mediator;
using Npgsql;
using Register.Partnerships.Contracts;
using Register.Partnerships.Domain;

namespace Register.Partnerships.Features.SchoolSnapshots;

/// <summary>Answers <see cref="ListSchoolSnapshots"/>: every school, for another module's local copy.</summary>
internal sealed class ListSchoolSnapshotsHandler(NpgsqlDataSource db) : IRequestHandler<ListSchoolSnapshots, IReadOnlyList<SchoolSnapshot>>
{
    public async ValueTask<IReadOnlyList<SchoolSnapshot>> Handle(ListSchoolSnapshots request, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<SchoolChanges.SchoolRow>(new CommandDefinition(
            $"SELECT {SchoolChanges.SnapshotColumns} FROM partnerships.schools ORDER BY urn", cancellationToken: cancellationToken));
        return rows.Select(r => r.ToSnapshot()).ToList();
    }
}
