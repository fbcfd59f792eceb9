using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Security;
using Register.Trainees.Api;
using Register.Trainees.Domain;
using Register.Trainees.Versions;

namespace Register.Trainees.Features.Trainees;

/// <summary>
/// <c>PUT</c> and <c>PATCH /api/{version}/trainees/{trainee_id}</c>: both partial, as in the reference. The stored trainee
/// with the fields sent on top must pass every rule of a new one; degrees and placements sent here are ignored (they
/// have their own endpoints). From v2026.1 a recommended, withdrawn or awarded trainee cannot be changed.
/// </summary>
internal static class UpdateTrainee
{
    public static void Map(TraineeApi api)
    {
        foreach (var method in new[] { HttpMethods.Put, HttpMethods.Patch })
        {
            api.Group.MapMethods("/trainees/{traineeId}", [method], (string traineeId, HttpContext http, TransactionRunner transactions, TimeProvider clock, CancellationToken ct) =>
                    HandleAsync(traineeId, http, api.Version, transactions, clock, ct))
                .WithName(api.Name($"UpdateTrainee{(method == HttpMethods.Put ? "" : "Patch")}"))
                .WithSummary("Change a trainee (only the fields sent)")
                .Accepts<TraineeUpdateBody>("application/json")
                .WithVersionedRequestExample(v => TraineeExamples.InVersionWords(new JsonObject { ["data"] = new JsonObject { ["middle_names"] = "Ryan", ["course_subject_2"] = null } }, v))
                .Answers<TraineeEnvelope>(StatusCodes.Status200OK)
                .WithVersionedResponseExample(StatusCodes.Status200OK, TraineeExamples.Envelope)
                .Answers<OneOf<PlainErrors, TraineeApiErrors>>(StatusCodes.Status400BadRequest)
                .Answers<TraineeApiErrors>(StatusCodes.Status404NotFound)
                .Answers<OneOf<TraineeInvalid, PlainErrors, TraineeApiErrors>>(StatusCodes.Status422UnprocessableEntity);
        }
    }

    private static async Task<IResult> HandleAsync(string traineeId, HttpContext http, TraineeApiVersion version, TransactionRunner transactions, TimeProvider clock, CancellationToken ct)
    {
        var (data, error) = await RequestBody.ReadAsync(http.Request, version, ct);
        if (data is null)
        {
            return error!;
        }

        var provider = http.TrainingProvider();
        return await transactions.RunAsync(TraineesModule.Schema, async tx =>
        {
            var connection = tx.Connection!;
            var (stored, refusal) = await EditableTrainee.FindAsync(tx, provider, traineeId, version, ct);
            if (stored is null)
            {
                return refusal!;
            }

            var draft = TraineeDraft.ForUpdate(stored, data, version);
            var known = await KnownOrganisations.LoadAsync(connection, [draft], tx, ct);
            var rules = TraineeRules.Validate(draft, version, known, clock.TodayInLondon());
            if (!rules.IsValid)
            {
                return TraineeApiResults.TraineeInvalid(rules.Errors, version, TraineeApiResults.WantsEnhancedErrors(http.Request));
            }

            // Nothing to write when nothing changes (two partners can show the same URN and UKPRN, so the id counts too).
            var changes = TraineeEvents.TraineeChanges(stored, rules.Trainee);
            var trainee = stored;
            if (changes.Count > 0 || rules.Trainee.TrainingPartnerId != stored.TrainingPartnerId)
            {
                var now = clock.UtcNowForDatabase();
                trainee = rules.Trainee with { UpdatedAt = now };
                await TraineeStore.UpdateFieldsAsync(tx, trainee, ct);
                // What TRS holds of the trainee follows the edit (spec §2.2), in the edit's own transaction.
                await TrsRequests.OweEditAsync(tx, stored, trainee, now, ct);
                await TraineeEvents.EnqueueAsync(tx, TraineeEvents.Trainee, trainee, RecordActions.Updated, http.Caller().Actor, changes, now, ct);
            }

            return TraineeApiResults.Data(StatusCodes.Status200OK, await TraineeViews.OneAsync(connection, trainee, provider, version, tx, ct));
        }, ct);
    }
}
