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

namespace Register.Trainees.Features.Placements;

/// <summary>
/// <c>POST /api/{version}/trainees/{trainee_id}/placements</c> (201; the same placement twice is allowed) and
/// <c>PUT</c>/<c>PATCH …/placements/{placement_id}</c> (200, partial). A URN of a school Register knows links the school.
/// </summary>
internal static class SavePlacement
{
    public static void Map(TraineeApi api)
    {
        api.Group.MapPost("/trainees/{traineeId}/placements", (string traineeId, HttpContext http, TransactionRunner transactions, TimeProvider clock, CancellationToken ct) =>
                HandleAsync(traineeId, null, http, api.Version, transactions, clock, ct))
            .WithName(api.Name("CreatePlacement"))
            .WithSummary("Add a placement to a trainee")
            .Accepts<PlacementRequestBody>("application/json")
            .Answers<PlacementEnvelope>(StatusCodes.Status201Created)
            .Answers<OneOf<PlainErrors, TraineeApiErrors>>(StatusCodes.Status400BadRequest)
            .Answers<TraineeApiErrors>(StatusCodes.Status404NotFound)
            .Answers<OneOf<TraineeApiErrors, PlainErrors>>(StatusCodes.Status422UnprocessableEntity);

        foreach (var method in new[] { HttpMethods.Put, HttpMethods.Patch })
        {
            api.Group.MapMethods("/trainees/{traineeId}/placements/{placementId}", [method],
                    (string traineeId, string placementId, HttpContext http, TransactionRunner transactions, TimeProvider clock, CancellationToken ct) =>
                        HandleAsync(traineeId, placementId, http, api.Version, transactions, clock, ct))
                .WithName(api.Name($"UpdatePlacement{(method == HttpMethods.Put ? "" : "Patch")}"))
                .WithSummary("Change a trainee's placement (only the fields sent)")
                .Accepts<PlacementRequestBody>("application/json")
                .Answers<PlacementEnvelope>(StatusCodes.Status200OK)
                .Answers<OneOf<PlainErrors, TraineeApiErrors>>(StatusCodes.Status400BadRequest)
                .Answers<TraineeApiErrors>(StatusCodes.Status404NotFound)
                .Answers<OneOf<TraineeApiErrors, PlainErrors>>(StatusCodes.Status422UnprocessableEntity);
        }
    }

    private static async Task<IResult> HandleAsync(
        string traineeId, string? placementId, HttpContext http, TraineeApiVersion version, TransactionRunner transactions, TimeProvider clock, CancellationToken ct)
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

        return await transactions.RunAsync(TraineesModule.Schema, async tx =>
        {
            var connection = tx.Connection!;
            var (trainee, refusal) = await EditableTrainee.FindAsync(tx, http.TrainingProvider(), traineeId, version, ct);
            if (trainee is null)
            {
                return refusal!;
            }

            var stored = placementId is null ? null : await TraineeStore.FindPlacementAsync(connection, trainee.Id, placementId, tx, ct);
            if (placementId is not null && stored is null)
            {
                return TraineeApiResults.NotFound("Placement(s) not found");
            }

            var known = await KnownOrganisations.LoadAsync(connection, [], [], [data.Has("urn") ? data.Text("urn") : stored?.Urn], tx, ct);
            var draft = stored is null ? PlacementRules.Map(data, known) : PlacementRules.Merge(stored, data, known);
            var errors = (PlacementRules.Validate(draft)).ToList();
            if (errors.Count > 0)
            {
                return TraineeApiResults.Unprocessable(errors.Select(e => version.Say(e.FullMessage)));
            }

            var now = clock.UtcNowForDatabase();
            var placement = draft.ToPlacement(stored ?? new Placement { Id = EventIds.Next(now), Slug = Slugs.New(), TraineeId = trainee.Id, CreatedAt = now }) with { UpdatedAt = now };
            var shown = draft.Shown(placement);
            var changes = TraineeEvents.Between(stored is null ? null : TraineeJson.Placement(stored), TraineeJson.Placement(shown));
            if (stored is not null && changes.Count == 0 && placement.SchoolId == stored.SchoolId)
            {
                // Nothing changed: nothing written, the trainee not touched, no activity.
                return TraineeApiResults.Data(StatusCodes.Status200OK, TraineeJson.Placement(stored));
            }

            if (stored is null)
            {
                await TraineeStore.InsertPlacementAsync(tx, placement, ct);
            }
            else
            {
                await TraineeStore.UpdatePlacementAsync(tx, placement, ct);
            }

            await TraineeParts.ChangedAsync(tx, trainee, TraineeEvents.Placement, stored is null ? RecordActions.Created : RecordActions.Updated, http.Caller().Actor,
                stored is null ? changes : [new("placement_id", shown.Slug, shown.Slug), .. changes], now, ct);
            return TraineeApiResults.Data(stored is null ? StatusCodes.Status201Created : StatusCodes.Status200OK, TraineeJson.Placement(shown));
        }, ct);
    }
}
