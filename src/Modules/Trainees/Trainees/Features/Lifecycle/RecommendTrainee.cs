using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Register.BuildingBlocks.Database;
using Register.Trainees.Api;
using Register.Trainees.Domain;
using Register.Trainees.Features.Trainees;
using Register.Trainees.Features.Trs;

namespace Register.Trainees.Features.Lifecycle;

/// <summary>
/// <c>POST /api/{version}/trainees/{trainee_id}/update-qts-or-eyts-status</c> and its deprecated alias <c>…/recommend-for-qts</c>
/// (spec §4.7): a trainee with a TRN, its degree (on a postgraduate route) and the route's placements is recommended for
/// QTS or EYTS from the date it met the standards: 202, and TRS awards it later.
/// </summary>
internal static class RecommendTrainee
{
    public static void Map(TraineeApi api)
    {
        foreach (var (path, name, summary) in new[]
        {
            ("update-qts-or-eyts-status", "RecommendTrainee", "Recommend a trainee for QTS or EYTS"),
            ("recommend-for-qts", "RecommendTraineeForQts", "Recommend a trainee for QTS or EYTS (deprecated: use update-qts-or-eyts-status)"),
        })
        {
            api.Group.MapPost($"/trainees/{{traineeId}}/{path}",
                    (string traineeId, HttpContext http, TransactionRunner transactions, TimeProvider clock, IOptions<TrsOptions> trs, CancellationToken ct) =>
                        TraineeLifecycle.RunAsync(http, traineeId, api.Version, transactions, clock, StatusCodes.Status202Accepted, r => Recommend(r, trs.Value), ct))
                .WithName(api.Name(name))
                .WithSummary(summary)
                .Accepts<RecommendRequestBody>("application/json")
                .WithVersionedRequestExample(_ => new JsonObject { ["data"] = new JsonObject { ["qts_standards_met_date"] = "2026-07-01" } })
                .Answers<TraineeEnvelope>(StatusCodes.Status202Accepted)
                .Answers<OneOf<PlainErrors, TraineeApiErrors>>(StatusCodes.Status400BadRequest)
                .Answers<TraineeApiErrors>(StatusCodes.Status404NotFound)
                .Answers<OneOf<TraineeApiErrors, PlainErrors>>(StatusCodes.Status422UnprocessableEntity);
        }
    }

    internal static TraineeLifecycle.Step Recommend(TraineeLifecycle.Request request, TrsOptions trs)
    {
        var (trainee, data, today) = (request.Trainee, request.Data, request.Today);
        var errors = new List<string>();
        var dateText = data.Text("qts_standards_met_date");
        var date = TraineeRules.IsoDate(dateText);
        if (dateText is null)
        {
            errors.Add("qts_standards_met_date can't be blank. Enter a date the trainee met the QTS or EYTS requirements.");
        }
        else if (date is null)
        {
            errors.Add("qts_standards_met_date is invalid");
        }
        else if (date > today)
        {
            errors.Add("qts_standards_met_date must not be in the future");
        }
        else if (date < trainee.IttStartDate)
        {
            errors.Add("qts_standards_met_date must be after itt_start_date");
        }

        var route = TrainingRoutes.ByCode(trainee.TrainingRoute);
        if (route?.DegreeRequired == true && request.Degrees == 0)
        {
            errors.Add("degree_id must be completed before qts_standards_met_date");
        }

        if (route?.MinimumPlacements is { } minimum && request.Placements < minimum)
        {
            errors.Add($"placements must be at least {minimum} for the {route.Name} training route");
        }

        if (trainee.State != TraineeStates.TrnReceived)
        {
            errors.Add("state must be selected as trn_received");
        }

        if (errors.Count > 0)
        {
            return TraineeLifecycle.Step.Invalid(errors);
        }

        var recommended = trainee with { State = TraineeStates.RecommendedForAward, OutcomeDate = date, RecommendedForAwardAt = request.Now };
        return TraineeLifecycle.Step.Done(recommended, TraineeEvents.RecommendedForAward,
            (tx, ct) => TrsRequests.EnqueueAsync(tx, recommended.Id, TrsRequests.Award, request.Now + trs.AwardDelay, request.Now, ct));
    }
}
