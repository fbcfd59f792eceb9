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

namespace Register.Trainees.Features.Degrees;

/// <summary>
/// <c>POST /api/{version}/trainees/{trainee_id}/degrees</c> (201) and <c>PUT</c>/<c>PATCH …/degrees/{degree_id}</c> (200,
/// partial): a degree that breaks a rule is a 422 naming each; one with the same values as another of the trainee's
/// degrees is a 409 with those degrees.
/// </summary>
internal static class SaveDegree
{
    public static void Map(TraineeApi api)
    {
        api.Group.MapPost("/trainees/{traineeId}/degrees", (string traineeId, HttpContext http, TransactionRunner transactions, TimeProvider clock, CancellationToken ct) =>
                HandleAsync(traineeId, null, http, api.Version, transactions, clock, ct))
            .WithName(api.Name("CreateDegree"))
            .WithSummary("Add a degree to a trainee")
            .Accepts<DegreeRequestBody>("application/json")
            .Answers<DegreeEnvelope>(StatusCodes.Status201Created)
            .Answers<OneOf<PlainErrors, TraineeApiErrors>>(StatusCodes.Status400BadRequest)
            .Answers<TraineeApiErrors>(StatusCodes.Status404NotFound)
            .Answers<DegreeConflict>(StatusCodes.Status409Conflict)
            .Answers<OneOf<TraineeApiErrors, PlainErrors>>(StatusCodes.Status422UnprocessableEntity);

        foreach (var method in new[] { HttpMethods.Put, HttpMethods.Patch })
        {
            api.Group.MapMethods("/trainees/{traineeId}/degrees/{degreeId}", [method],
                    (string traineeId, string degreeId, HttpContext http, TransactionRunner transactions, TimeProvider clock, CancellationToken ct) =>
                        HandleAsync(traineeId, degreeId, http, api.Version, transactions, clock, ct))
                .WithName(api.Name($"UpdateDegree{(method == HttpMethods.Put ? "" : "Patch")}"))
                .WithSummary("Change a trainee's degree (only the fields sent)")
                .Accepts<DegreeRequestBody>("application/json")
                .Answers<DegreeEnvelope>(StatusCodes.Status200OK)
                .Answers<OneOf<PlainErrors, TraineeApiErrors>>(StatusCodes.Status400BadRequest)
                .Answers<TraineeApiErrors>(StatusCodes.Status404NotFound)
                .Answers<DegreeConflict>(StatusCodes.Status409Conflict)
                .Answers<OneOf<TraineeApiErrors, PlainErrors>>(StatusCodes.Status422UnprocessableEntity);
        }
    }

    private static async Task<IResult> HandleAsync(
        string traineeId, string? degreeId, HttpContext http, TraineeApiVersion version, TransactionRunner transactions, TimeProvider clock, CancellationToken ct)
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

            var existing = (await TraineeStore.DegreesAsync(connection, [trainee.Id], tx, ct))[trainee.Id].ToList();
            var stored = degreeId is null ? null : existing.FirstOrDefault(d => d.Slug == degreeId);
            if (degreeId is not null && stored is null)
            {
                return TraineeApiResults.NotFound("Degree(s) not found");
            }

            var draft = stored is null ? DegreeRules.Map(data) : DegreeRules.Merge(stored, data);
            var duplicates = DegreeRules.Duplicates(draft, existing.Where(d => d.Id != stored?.Id));
            if (duplicates.Count > 0)
            {
                return TraineeApiResults.Conflict("This is a duplicate degree", duplicates.Select(TraineeJson.Degree));
            }

            var errors = (DegreeRules.Validate(draft, clock.TodayInLondon())).ToList();
            if (errors.Count > 0)
            {
                return TraineeApiResults.Unprocessable(errors.Select(e => version.Say(e.FullMessage)));
            }

            var now = clock.UtcNowForDatabase();
            var degree = draft.ToDegree(stored ?? new Degree { Id = EventIds.Next(now), Slug = Slugs.New(), TraineeId = trainee.Id, CreatedAt = now }) with { UpdatedAt = now };
            var changes = TraineeEvents.Between(stored is null ? null : TraineeJson.Degree(stored), TraineeJson.Degree(degree));
            if (stored is null)
            {
                await TraineeStore.InsertDegreeAsync(tx, degree, ct);
            }
            else if (changes.Count > 0)
            {
                await TraineeStore.UpdateDegreeAsync(tx, degree, ct);
            }
            else
            {
                return TraineeApiResults.Data(StatusCodes.Status200OK, TraineeJson.Degree(stored));
            }

            await TraineeParts.ChangedAsync(tx, trainee, TraineeEvents.Degree, stored is null ? RecordActions.Created : RecordActions.Updated, http.Caller().Actor,
                stored is null ? changes : [new("degree_id", degree.Slug, degree.Slug), .. changes], now, ct);
            return TraineeApiResults.Data(stored is null ? StatusCodes.Status201Created : StatusCodes.Status200OK, TraineeJson.Degree(degree));
        }, ct);
    }
}
