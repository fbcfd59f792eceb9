using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.BuildingBlocks.Database;
using Register.Trainees.Api;
using Register.Trainees.Domain;
using Register.Trainees.Features.Trainees;

namespace Register.Trainees.Features.Lifecycle;

/// <summary>
/// <c>POST /api/{version}/trainees/{trainee_id}/defer</c> (spec §4.6): a submitted trainee, or one with a TRN, defers on a
/// date, with an optional reason; a trainee whose ITT has started keeps (or gets) its start date.
/// </summary>
internal static class DeferTrainee
{
    public const int MaxReasonLength = 500;

    public static void Map(TraineeApi api) =>
        api.Group.MapPost("/trainees/{traineeId}/defer", (string traineeId, HttpContext http, TransactionRunner transactions, TimeProvider clock, CancellationToken ct) =>
                TraineeLifecycle.RunAsync(http, traineeId, api.Version, transactions, clock, StatusCodes.Status200OK, Defer, ct))
            .WithName(api.Name("DeferTrainee"))
            .WithSummary("Defer a trainee")
            .Accepts<DeferRequestBody>("application/json")
            .WithVersionedRequestExample(v => TraineeExamples.InVersionWords(new JsonObject { ["data"] = new JsonObject { ["defer_date"] = "2026-01-10", ["defer_reason"] = "Illness" } }, v))
            .Answers<TraineeEnvelope>(StatusCodes.Status200OK)
            .Answers<OneOf<PlainErrors, TraineeApiErrors>>(StatusCodes.Status400BadRequest)
            .Answers<TraineeApiErrors>(StatusCodes.Status404NotFound)
            .Answers<OneOf<TraineeApiErrors, PlainErrors>>(StatusCodes.Status422UnprocessableEntity);

    internal static TraineeLifecycle.Step Defer(TraineeLifecycle.Request request)
    {
        var (trainee, data, today) = (request.Trainee, request.Data, request.Today);
        var errors = new List<string>();
        var dateText = data.Text("defer_date");
        var date = TraineeRules.IsoDate(dateText);
        if (dateText is null)
        {
            errors.Add("defer_date can't be blank");
        }
        else if (date is null)
        {
            errors.Add("defer_date is invalid");
        }

        var reason = data.Text("defer_reason");
        if (reason is { Length: > MaxReasonLength })
        {
            errors.Add($"defer_reason is too long (maximum is {MaxReasonLength} characters)");
        }

        // As the reference: the state is looked at only when the body is right.
        if (errors.Count == 0 && trainee.State is not (TraineeStates.SubmittedForTrn or TraineeStates.TrnReceived))
        {
            errors.Add("state is invalid must be one of [submitted_for_trn, trn_received]");
        }

        if (errors.Count > 0)
        {
            return TraineeLifecycle.Step.Invalid(errors);
        }

        var started = trainee.IttStartDate <= today;
        var deferred = trainee with
        {
            State = TraineeStates.Deferred,
            DeferDate = date,
            DeferReason = reason,
            TraineeStartDate = started ? trainee.TraineeStartDate ?? trainee.IttStartDate : trainee.TraineeStartDate,
        };
        return TraineeLifecycle.Step.Done(deferred, TraineeEvents.Deferred);
    }
}
