using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Telemetry;
using Register.Trainees.Api;
using Register.Trainees.Domain;
using Register.Trainees.Features.Trs;
using Register.Trainees.Versions;

namespace Register.Trainees.Features.Trainees;

/// <summary>
/// <c>POST /api/{version}/trainees</c>: a new trainee with its degrees and placements, submitted for a TRN. 201 with the
/// trainee; 422 with every broken rule; 409 with the trainees it duplicates.
/// </summary>
internal static class CreateTrainee
{
    public static void Map(TraineeApi api) =>
        api.Group.MapPost("/trainees", (HttpContext http, TransactionRunner transactions, TimeProvider clock, IOptions<TrsOptions> trs, RegisterMetrics metrics, CancellationToken ct) =>
                HandleAsync(http, api.Version, transactions, clock, trs.Value, metrics, ct))
            .WithName(api.Name("CreateTrainee"))
            .WithSummary("Create a trainee and submit it for a TRN")
            .Accepts<TraineeRequestBody>("application/json")
            .WithVersionedRequestExample(TraineeExamples.Request)
            .Answers<TraineeEnvelope>(StatusCodes.Status201Created)
            .WithVersionedResponseExample(StatusCodes.Status201Created, TraineeExamples.Envelope)
            .Answers<OneOf<PlainErrors, TraineeApiErrors>>(StatusCodes.Status400BadRequest)
            .Answers<TraineeConflict>(StatusCodes.Status409Conflict)
            .Answers<OneOf<TraineeInvalid, PlainErrors>>(StatusCodes.Status422UnprocessableEntity);

    private static async Task<IResult> HandleAsync(
        HttpContext http, TraineeApiVersion version, TransactionRunner transactions, TimeProvider clock, TrsOptions trs, RegisterMetrics metrics, CancellationToken ct)
    {
        var (data, error) = await RequestBody.ReadAsync(http.Request, version, ct);
        if (data is null)
        {
            return error!;
        }

        var provider = http.TrainingProvider();
        var draft = TraineeDraft.ForCreate(data, version);
        var created = false;
        var result = await transactions.RunAsync(TraineesModule.Schema, async tx =>
        {
            var now = clock.UtcNowForDatabase();
            var outcome = await TraineeCreation.CreateAsync(tx, draft, provider.Id, version, "api", http.Caller().Actor, now, clock.TodayInLondon(), trs.TrnDelay, ct);
            if (outcome.Errors.Count > 0)
            {
                return TraineeApiResults.TraineeInvalid(outcome.Errors, version, TraineeApiResults.WantsEnhancedErrors(http.Request));
            }

            if (outcome.Duplicates.Count > 0)
            {
                var duplicates = await TraineeViews.ManyAsync(tx.Connection!, outcome.Duplicates, provider, version, tx, ct);
                return TraineeApiResults.Conflict("This trainee is already in Register", duplicates);
            }

            created = true;
            return TraineeApiResults.Data(StatusCodes.Status201Created, await TraineeViews.OneAsync(tx.Connection!, outcome.Created!, provider, version, tx, ct));
        }, ct);

        // Counted once committed (RunAsync returns after the commit).
        if (created)
        {
            metrics.TraineesCreated("api", 1);
        }

        return result;
    }
}
