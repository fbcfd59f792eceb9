using Dapper;
using Npgsql;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Outbox;
using Register.Partnerships.Contracts;

namespace Register.Partnerships.Domain;

/// <summary>
/// Puts a <see cref="SchoolChanged"/> for each of the given schools, as they are now, into the module's outbox, in the
/// transaction that changed them. Every write of <c>partnerships.schools</c> calls it.
/// </summary>
internal static class SchoolChanges
{
    public const string SnapshotColumns = "id, urn, name, postcode, gias_status";

    public static async Task EnqueueAsync(NpgsqlTransaction tx, IReadOnlyCollection<Guid> schoolIds, DateTimeOffset now, CancellationToken ct)
    {
        if (schoolIds.Count == 0)
        {
            return;
        }

        var schools = await tx.Connection!.QueryAsync<SchoolRow>(new CommandDefinition(
            $"SELECT {SnapshotColumns} FROM partnerships.schools WHERE id = ANY(@ids) ORDER BY urn", new { ids = schoolIds.ToArray() }, tx, cancellationToken: ct));
        await Outbox.EnqueueManyAsync(tx, PartnershipsModule.Schema,
            schools.Select(school => (IIntegrationEvent)new SchoolChanged(EventIds.Next(now), now, school.ToSnapshot())).ToList(), ct);
    }

    internal sealed record SchoolRow
    {
        public Guid Id { get; init; }

        public string Urn { get; init; } = "";

        public string Name { get; init; } = "";

        public string? Postcode { get; init; }

        public string GiasStatus { get; init; } = "";

        public SchoolSnapshot ToSnapshot() => new(Id, Urn, Name, Postcode, GiasStatus);
    }
}
