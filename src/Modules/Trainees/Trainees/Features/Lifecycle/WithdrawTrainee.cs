using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Security;
using Register.Trainees.Api;
using Register.Trainees.Domain;
using Register.Trainees.Features.Trainees;
using Register.Trainees.Versions;

namespace Register.Trainees.Features.Lifecycle;

/// <summary>
/// <c>POST /api/{version}/trainees/{trainee_id}/withdraw</c> (spec §4.5): a trainee who has started, and is submitted,
/// has a TRN or is deferred, withdraws on a date, for reasons valid for who decided (the trigger), with their future
/// interest in teaching. Otherwise a 422 StateTransitionError; a bad body a 422 naming each field.
/// </summary>
internal static class WithdrawTrainee
{
    private static readonly string[] Withdrawable = [TraineeStates.SubmittedForTrn, TraineeStates.TrnReceived, TraineeStates.Deferred];

    public static void Map(TraineeApi api) =>
        api.Group.MapPost("/trainees/{traineeId}/withdraw", (string traineeId, HttpContext http, TransactionRunner transactions, TimeProvider clock, CancellationToken ct) =>
                TraineeLifecycle.RunAsync(http, traineeId, api.Version, transactions, clock, StatusCodes.Status200OK, Withdraw, ct))
            .WithName(api.Name("WithdrawTrainee"))
            .WithSummary("Withdraw a trainee")
            .Accepts<WithdrawRequestBody>("application/json")
            .WithVersionedRequestExample(v => TraineeExamples.InVersionWords(new JsonObject { ["data"] = new JsonObject { ["withdrawal_date"] = "2026-03-05", ["trigger"] = "trainee", ["reasons"] = new JsonArray("trainee_workload_issues"), ["future_interest"] = "yes" } }, v))
            .Answers<TraineeEnvelope>(StatusCodes.Status200OK)
            .Answers<OneOf<PlainErrors, TraineeApiErrors>>(StatusCodes.Status400BadRequest)
            .Answers<TraineeApiErrors>(StatusCodes.Status404NotFound)
            .Answers<OneOf<TraineeApiErrors, PlainErrors>>(StatusCodes.Status422UnprocessableEntity);

    internal static TraineeLifecycle.Step Withdraw(TraineeLifecycle.Request request)
    {
        var (trainee, data, today) = (request.Trainee, request.Data, request.Today);
        if (!Withdrawable.Contains(trainee.State) || trainee.IttStartDate > today)
        {
            return TraineeLifecycle.Step.Refused;
        }

        var errors = new List<string>();
        var dateText = data.Text("withdrawal_date");
        var date = TraineeRules.IsoDate(dateText);
        if (dateText is null)
        {
            errors.Add("withdrawal_date Choose a withdrawal date");
        }
        else if (date is null)
        {
            errors.Add("withdrawal_date Choose a valid withdrawal date");
        }
        else if (date < trainee.IttStartDate)
        {
            errors.Add("withdrawal_date must be after itt_start_date");
        }

        var trigger = data.Text("trigger");
        var reasons = data.TextArray("reasons");
        if (reasons is not null && reasons.Except(WithdrawalReasons.For(trigger).Select(r => r.Code)).Any())
        {
            errors.Add("reasons entered not valid for selected trigger eg unacceptable_behaviour for a trainee trigger");
        }

        if (reasons is null || reasons.Count == 0)
        {
            errors.Add("reasons Choose one or more reasons why the trainee withdrew from the course");
        }

        if (trigger is null || !WithdrawalReasons.Triggers.Contains(trigger))
        {
            errors.Add("trigger is not included in the list");
        }

        var futureInterest = data.Text("future_interest");
        if (futureInterest is null || !WithdrawalReasons.FutureInterests.Contains(futureInterest))
        {
            errors.Add("future_interest is not included in the list");
        }

        var anotherReason = data.Text("another_reason");
        if (reasons?.Any(r => r.Contains("another_reason", StringComparison.Ordinal)) == true && anotherReason is null)
        {
            errors.Add("another_reason Enter another reason");
        }

        var safeguarding = data.Text("safeguarding_concern_reasons");
        if (reasons?.Contains(WithdrawalReasons.SafeguardingConcerns) == true && safeguarding is null)
        {
            errors.Add("safeguarding_concern_reasons Enter the concerns");
        }

        if (errors.Count > 0)
        {
            return TraineeLifecycle.Step.Invalid(errors);
        }

        var withdrawn = trainee with
        {
            State = TraineeStates.Withdrawn,
            WithdrawalDate = date,
            WithdrawalTrigger = trigger,
            WithdrawalFutureInterest = futureInterest,
            WithdrawalReasons = reasons!.Distinct().ToArray(),
            WithdrawalAnotherReason = reasons!.Any(r => r.Contains("another_reason", StringComparison.Ordinal)) ? anotherReason : null,
            WithdrawalSafeguardingConcernReasons = reasons!.Contains(WithdrawalReasons.SafeguardingConcerns) ? safeguarding : null,
        };
        return TraineeLifecycle.Step.Done(withdrawn, TraineeEvents.Withdrawn);
    }
}
