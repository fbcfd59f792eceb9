using Dapper;
using Mediator;
using Npgsql;
using Register.Partnerships.Contracts;

namespace Register.Trainees.Domain;

/// <summary>The module's copy of a school (GIAS): employing schools and placement schools are matched by URN.</summary>
internal sealed record KnownSchool
{
    public Guid Id { get; init; }

    public string Urn { get; init; } = "";

    public string Name { get; init; } = "";

    public string? Postcode { get; init; }
}

/// <summary>Keeps <c>trainees.schools</c> from <see cref="SchoolChanged"/>, moving forward only, as <see cref="KnownProvidersHandler"/> does.</summary>
internal sealed class KnownSchoolsHandler(NpgsqlDataSource db) : INotificationHandler<SchoolChanged>
{
    public async ValueTask Handle(SchoolChanged notification, CancellationToken cancellationToken)
    {
        var s = notification.School;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO trainees.schools AS copy (id, urn, name, postcode, as_of, last_event_id)
            VALUES (@Id, @Urn, @Name, @Postcode, @OccurredAt, @EventId)
            ON CONFLICT (id) DO UPDATE SET urn = excluded.urn, name = excluded.name, postcode = excluded.postcode,
                as_of = excluded.as_of, last_event_id = excluded.last_event_id
            WHERE (copy.as_of, copy.last_event_id) < (excluded.as_of, excluded.last_event_id)
            """,
            new { s.Id, s.Urn, s.Name, s.Postcode, notification.OccurredAt, notification.EventId }, cancellationToken: cancellationToken));
    }
}
