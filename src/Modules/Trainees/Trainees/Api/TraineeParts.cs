using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Security;
using Register.Trainees.Domain;
using Register.Trainees.Versions;

namespace Register.Trainees.Api;

/// <summary>A kind of record that belongs to a trainee (a degree, a placement): where it is read and deleted, and how it shows.</summary>
internal sealed record TraineePartKind<T>(
    string RecordType,
    string NotFoundMessage,
    Func<NpgsqlConnection, IReadOnlyCollection<Guid>, NpgsqlTransaction?, CancellationToken, Task<ILookup<Guid, T>>> ListAsync,
    Func<NpgsqlConnection, Guid, string, NpgsqlTransaction?, CancellationToken, Task<T?>> FindAsync,
    Func<NpgsqlTransaction, T, CancellationToken, Task> DeleteAsync,
    Func<T, JsonObject> ToJson)
    where T : class;

/// <summary>
/// What the degree and placement slices share (as <c>DeletePart</c> does for a provider's parts): list, show and delete a
/// trainee's part, and the touch-and-notify step of every change to one. Each slice maps its own route and calls these.
/// </summary>
internal static class TraineeParts
{
    public static readonly TraineePartKind<Degree> Degrees = new(
        TraineeEvents.Degree, "Degree(s) not found", TraineeStore.DegreesAsync, TraineeStore.FindDegreeAsync,
        (tx, degree, ct) => TraineeStore.DeleteDegreeAsync(tx, degree.Id, ct), TraineeJson.Degree);

    public static readonly TraineePartKind<Placement> Placements = new(
        TraineeEvents.Placement, "Placement(s) not found", TraineeStore.PlacementsAsync, TraineeStore.FindPlacementAsync,
        (tx, placement, ct) => TraineeStore.DeletePlacementAsync(tx, placement.Id, ct), TraineeJson.Placement);

    /// <summary>The provider's trainee's parts (an empty list is <c>[]</c>); 404 for another provider's trainee.</summary>
    public static async Task<IResult> ListAsync<T>(TraineePartKind<T> kind, string traineeId, HttpContext http, NpgsqlDataSource db, CancellationToken ct)
        where T : class
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var trainee = await TraineeStore.FindAsync(connection, http.TrainingProvider().Id, traineeId, null, ct);
        if (trainee is null)
        {
            return TraineeApiResults.NotFound();
        }

        var parts = await kind.ListAsync(connection, [trainee.Id], null, ct);
        return TraineeApiResults.Data(StatusCodes.Status200OK, new JsonArray(parts[trainee.Id].Select(p => (JsonNode?)kind.ToJson(p)).ToArray()));
    }

    /// <summary>One of the provider's trainee's parts, or 404.</summary>
    public static async Task<IResult> GetAsync<T>(TraineePartKind<T> kind, string traineeId, string partId, HttpContext http, NpgsqlDataSource db, CancellationToken ct)
        where T : class
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var trainee = await TraineeStore.FindAsync(connection, http.TrainingProvider().Id, traineeId, null, ct);
        if (trainee is null)
        {
            return TraineeApiResults.NotFound();
        }

        var part = await kind.FindAsync(connection, trainee.Id, partId, null, ct);
        return part is null ? TraineeApiResults.NotFound(kind.NotFoundMessage) : TraineeApiResults.Data(StatusCodes.Status200OK, kind.ToJson(part));
    }

    /// <summary>Deletes one of an editable trainee's parts; 200 with the trainee as it now is.</summary>
    public static Task<IResult> DeleteAsync<T>(
        TraineePartKind<T> kind, string traineeId, string partId, HttpContext http, TraineeApiVersion version, TransactionRunner transactions, TimeProvider clock,
        CancellationToken ct)
        where T : class =>
        transactions.RunAsync(TraineesModule.Schema, async tx =>
        {
            var provider = http.TrainingProvider();
            var (trainee, refusal) = await EditableTrainee.FindAsync(tx, provider, traineeId, version, ct);
            if (trainee is null)
            {
                return refusal!;
            }

            var part = await kind.FindAsync(tx.Connection!, trainee.Id, partId, tx, ct);
            if (part is null)
            {
                return TraineeApiResults.NotFound(kind.NotFoundMessage);
            }

            var now = clock.UtcNowForDatabase();
            await kind.DeleteAsync(tx, part, ct);
            var touched = await ChangedAsync(tx, trainee, kind.RecordType, RecordActions.Deleted, http.Caller().Actor, TraineeEvents.Between(kind.ToJson(part), null), now, ct);
            return TraineeApiResults.Data(StatusCodes.Status200OK, await TraineeViews.OneAsync(tx.Connection!, touched, provider, version, tx, ct));
        }, ct);

    /// <summary>After a change to one of its parts: the trainee's <c>updated_at</c> moves, and the change is notified; returns the trainee as it now is.</summary>
    public static async Task<Trainee> ChangedAsync(
        NpgsqlTransaction tx, Trainee trainee, string recordType, string action, Actor actor, IReadOnlyList<FieldChange> changes, DateTimeOffset now, CancellationToken ct)
    {
        await TraineeStore.TouchAsync(tx, trainee.Id, now, ct);
        await TraineeEvents.EnqueueAsync(tx, recordType, trainee, action, actor, changes, now, ct);
        return trainee with { UpdatedAt = now };
    }
}
