using Microsoft.AspNetCore.Http;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Security;
using Register.Trainees.Api;
using Register.Trainees.Domain;
using Register.Trainees.Versions;

namespace Register.Trainees.Features.Lifecycle;

/// <summary>
/// What withdraw, defer and recommend share: read the body, take the provider's trainee (404 if none) for the
/// transaction, let the step decide, and then write, notify and answer with the trainee as it now is.
/// </summary>
internal static class TraineeLifecycle
{
    /// <summary>What a step sees: the trainee, the body, today and now, and how many degrees and placements the trainee has.</summary>
    internal sealed record Request(Trainee Trainee, RequestData Data, DateOnly Today, DateTimeOffset Now, int Degrees, int Placements);

    /// <summary>
    /// A step's decision: refused in this state (StateTransitionError), invalid (its messages), or done: the trainee after
    /// (its lifecycle columns are written), the activity's action, and any other work owed in the same transaction.
    /// </summary>
    internal sealed record Step(bool IsRefused, IReadOnlyList<string> Errors, Trainee? After, string? Action, Func<NpgsqlTransaction, CancellationToken, Task>? Then)
    {
        public static Step Refused { get; } = new(true, [], null, null, null);

        public static Step Invalid(IReadOnlyList<string> errors) => new(false, errors, null, null, null);

        public static Step Done(Trainee after, string action, Func<NpgsqlTransaction, CancellationToken, Task>? then = null) => new(false, [], after, action, then);
    }

    public static async Task<IResult> RunAsync(
        HttpContext http, string traineeId, TraineeApiVersion version, TransactionRunner transactions, TimeProvider clock, int successStatus,
        Func<Request, Step> decide, CancellationToken ct)
    {
        var (data, error) = await RequestBody.ReadAsync(http.Request, version, ct);
        if (data is null)
        {
            return error!;
        }

        if (RequestBody.RefuseControlCharacters(data, version) is { } refused)
        {
            return refused;
        }

        var provider = http.TrainingProvider();
        return await transactions.RunAsync(TraineesModule.Schema, async tx =>
        {
            var connection = tx.Connection!;
            var trainee = await TraineeStore.FindAsync(connection, provider.Id, traineeId, tx, ct);
            if (trainee is null)
            {
                return TraineeApiResults.NotFound();
            }

            if (trainee.ErasedAt is not null)
            {
                return TraineeApiResults.StateTransitionError();
            }

            var degrees = (await TraineeStore.DegreesAsync(connection, [trainee.Id], tx, ct))[trainee.Id].ToList();
            var placements = (await TraineeStore.PlacementsAsync(connection, [trainee.Id], tx, ct))[trainee.Id].ToList();
            var now = clock.UtcNowForDatabase();
            var step = decide(new Request(trainee, data, clock.TodayInLondon(), now, degrees.Count, placements.Count));
            if (step.IsRefused)
            {
                return TraineeApiResults.StateTransitionError();
            }

            if (step.Errors.Count > 0)
            {
                return TraineeApiResults.Unprocessable(step.Errors.Select(version.Say));
            }

            var after = await ApplyAsync(tx, trainee, step, http.Caller().Actor, now, ct);
            return TraineeApiResults.Data(successStatus, TraineeJson.Trainee(after, degrees, placements, provider.Ukprn, version));
        }, ct);
    }

    /// <summary>
    /// Writes a step that is done: the trainee's lifecycle columns, the other work it owes, and its notification, in the
    /// caller's transaction; returns the trainee as it now is. The API's steps and the sandbox's sample trainees come through here.
    /// </summary>
    public static async Task<Trainee> ApplyAsync(NpgsqlTransaction tx, Trainee before, Step step, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var after = step.After! with { UpdatedAt = now };
        await TraineeStore.UpdateLifecycleAsync(tx, after, ct);
        if (step.Then is not null)
        {
            await step.Then(tx, ct);
        }

        // TRS hears of a deferral or withdrawal as the route's status (a recommendation is the award's request, in its step).
        if (step.Action is TraineeEvents.Deferred or TraineeEvents.Withdrawn)
        {
            await TrsRequests.OweRouteAsync(tx, after, now, ct);
        }

        await TraineeEvents.EnqueueAsync(tx, TraineeEvents.Trainee, after, step.Action!, actor, TraineeEvents.TraineeChanges(before, after), now, ct);
        return after;
    }
}
