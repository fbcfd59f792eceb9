using Dapper;
using Mediator;
using Npgsql;
using Register.Trainees.Contracts;
using Register.Trainees.Domain;

namespace Register.Trainees.Features.References;

/// <summary>
/// Answers <see cref="FindTrainee"/>: the trainee whose <c>trainee_id</c> (slug) or internal id this is, for the activity log's
/// trainee timeline (the support API shows both: the trainee API the first, activity items the second).
/// </summary>
internal sealed class FindTraineeHandler(NpgsqlDataSource db) : IRequestHandler<FindTrainee, TraineeReference?>
{
    public async ValueTask<TraineeReference?> Handle(FindTrainee request, CancellationToken cancellationToken)
    {
        var byId = Guid.TryParse(request.Id, out var id);
        if (!byId && !Slugs.IsWellFormed(request.Id))
        {
            return null;
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ReferenceRow>(new CommandDefinition(
            $"SELECT id, slug, provider_id, erased_at FROM trainees.trainees WHERE {(byId ? "id = @id" : "slug = @slug")}",
            new { id, slug = request.Id }, cancellationToken: cancellationToken));
        return row?.ToReference();
    }
}

/// <summary>Answers <see cref="GetTraineeReferences"/>: the public ids of trainees the activity log knows by their internal ids.</summary>
internal sealed class GetTraineeReferencesHandler(NpgsqlDataSource db) : IRequestHandler<GetTraineeReferences, IReadOnlyList<TraineeReference>>
{
    public async ValueTask<IReadOnlyList<TraineeReference>> Handle(GetTraineeReferences request, CancellationToken cancellationToken)
    {
        if (request.Ids.Count == 0)
        {
            return [];
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<ReferenceRow>(new CommandDefinition(
            "SELECT id, slug, provider_id, erased_at FROM trainees.trainees WHERE id = ANY(@ids)",
            new { ids = request.Ids.ToArray() }, cancellationToken: cancellationToken))).Select(r => r.ToReference()).ToList();
    }
}

internal sealed record ReferenceRow
{
    public Guid Id { get; init; }

    public string Slug { get; init; } = "";

    public Guid ProviderId { get; init; }

    public DateTimeOffset? ErasedAt { get; init; }

    public TraineeReference ToReference() => new(Id, Slug, ProviderId, ErasedAt);
}
