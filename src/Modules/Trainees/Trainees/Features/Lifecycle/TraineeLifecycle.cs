using Dapper;
using Microsoft.AspNetCore.Http;
using Npgsql;
using Register.BuildingBlocks;
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
    /// <summary>What a step sees: the trainee, the body, today, and how many degrees and placements the trainee has.</summary>
    internal sealed record Request(Trainee Trainee, RequestData Data, DateOnly Today, int Degrees, int Placements);

    /// <summary>A step's decision: refused in this state (StateTransitionError), invalid (its messages), or done (the trainee after, and how to write it).</summary>
    internal sealed record Step(bool IsRefused, IReadOnlyList<string> Errors, Trainee? After, string? Action, Func<NpgsqlTransaction, DateTimeOffset, CancellationToken, Task>? Write)
    {
        public static Step Refused { get; } = new(true, [], null, null, null);

        public static Step Invalid(IReadOnlyList<string> errors) => new(false, errors, null, null, null);

        public static Step Done(Trainee after, string action, Func<NpgsqlTransaction, DateTimeOffset, CancellationToken, Task> write) => new(false, [], after, action, write);
    }

    public static async Task<IResult> RunAsync(
        HttpContext http, string traineeId, TraineeApiVersion version, TransactionRunner transactions, TimeProvider clock, int successStatus,
        Func<Request, Step> decide, CancellationToken ct)
    {
        var (data, error) = await RequestData.ReadAsync(http.Request, version, ct);
        if (data is null)
        {
            return error!;
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

            var counts = await connection.QuerySingleAsync<(int Degrees, int Placements)>(new CommandDefinition(
                """
                SELECT (SELECT count(*)::int FROM trainees.degrees WHERE trainee_id = @Id), (SELECT count(*)::int FROM trainees.placements WHERE trainee_id = @Id)
                """,
                trainee, tx, cancellationToken: ct));
            var step = decide(new Request(trainee, data, clock.TodayInLondon(), counts.Degrees, counts.Placements));
            if (step.IsRefused)
            {
                return TraineeApiResults.StateTransitionError();
            }

            if (step.Errors.Count > 0)
            {
                return TraineeApiResults.Unprocessable(step.Errors.Select(version.Say));
            }

            var now = clock.UtcNowForDatabase();
            await step.Write!(tx, now, ct);
            var after = await TraineeStore.FindAsync(connection, provider.Id, traineeId, tx, ct) ?? step.After!;
            await TraineeEvents.EnqueueAsync(tx, TraineeEvents.Trainee, after, step.Action!, http.Caller().Actor,
                TraineeEvents.Between(TraineeJson.Trainee(trainee, [], [], null, TraineeApiVersions.Latest), TraineeJson.Trainee(after, [], [], null, TraineeApiVersions.Latest)),
                now, ct);
            return TraineeApiResults.Data(successStatus, await TraineeViews.OneAsync(connection, after, provider, version, tx, ct));
        }, ct);
    }
}
