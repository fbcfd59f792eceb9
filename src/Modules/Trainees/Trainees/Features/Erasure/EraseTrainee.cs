using System.Text.Json;
using Dapper;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Outbox;
using Register.BuildingBlocks.Security;
using Register.Trainees.Contracts;
using Register.Trainees.Domain;

namespace Register.Trainees.Features.Erasure;

/// <summary>
/// <c>POST /support/trainees/{trainee_id}/erase</c> with <c>{"reason": "..."}</c>: erases a trainee's personal data (ADR 16),
/// for a record added in error, say. In one transaction: the trainee's personal values (<see cref="PersonalData"/>) and its
/// degrees' become NULL, the record is marked erased (when, by whom, why) and can no longer change; the copies the module
/// keeps of those values are redacted too (the cells of the upload row that made it, the values in its notifications in the
/// outbox); and <see cref="TraineeErased"/> goes into the outbox, so the activity log redacts its copies. 404 for a
/// trainee Register does not have; a trainee already erased is a 409.
/// </summary>
internal static class EraseTrainee
{
    public const int MaxReasonLength = 500;

    internal sealed record EraseTraineeRequest(string? Reason);

    internal sealed class Validator : AbstractValidator<EraseTraineeRequest>
    {
        public Validator() =>
            RuleFor(r => r.Reason).Must(r => !string.IsNullOrWhiteSpace(r)).WithMessage("reason can't be blank")
                .MaximumLength(MaxReasonLength).WithMessage($"reason is too long (maximum is {MaxReasonLength} characters)")
                .PlainText("reason");
    }

    internal sealed record ErasedBy(string Type, Guid? Id, string Name);

    internal sealed record Erasure(string TraineeId, Guid ProviderId, DateTimeOffset ErasedAt, ErasedBy ErasedBy, string Reason);

    internal sealed record ErasureEnvelope(Erasure Data);

    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/trainees/{traineeId}/erase", HandleAsync)
            .Validate<EraseTraineeRequest>()
            .WithName("EraseTrainee")
            .WithSummary("Erase a trainee's personal data (the record stays, marked erased; its activity keeps the facts, not the values)")
            .Produces<ErasureEnvelope>()
            .Produces(StatusCodes.Status404NotFound)
            .Produces(StatusCodes.Status409Conflict);

    private static async Task<IResult> HandleAsync(
        string traineeId, EraseTraineeRequest request, HttpContext http, TransactionRunner transactions, TimeProvider clock, ILoggerFactory logs, CancellationToken ct)
    {
        var outcome = await RunAsync(transactions, traineeId, request.Reason!.Trim(), http.Caller().Actor, clock, ct);
        if (outcome.Value is { } erasure)
        {
            // No personal value here: the line a restore from an older backup needs to erase the record again (ADR 16).
            logs.CreateLogger(typeof(EraseTrainee)).LogInformation(
                "Trainee {TraineeId} of provider {ProviderId} erased by {Actor}", erasure.TraineeId, erasure.ProviderId, erasure.ErasedBy.Name);
        }

        return outcome.ToApiResult(e => TypedResults.Ok(new ErasureEnvelope(e)));
    }

    public static Task<Outcome<Erasure>> RunAsync(TransactionRunner transactions, string traineeId, string reason, Actor actor, TimeProvider clock, CancellationToken ct) =>
        transactions.RunAsync(TraineesModule.Schema, async tx =>
        {
            var connection = tx.Connection!;
            var trainee = Slugs.IsWellFormed(traineeId)
                ? await connection.QuerySingleOrDefaultAsync<Found>(new CommandDefinition(
                    "SELECT id, slug, provider_id, erased_at FROM trainees.trainees WHERE slug = @traineeId FOR UPDATE", new { traineeId }, tx, cancellationToken: ct))
                : null;
            if (trainee is null)
            {
                return (Outcome<Erasure>)ApiErrors.NotFound("Trainee not found");
            }

            if (trainee.ErasedAt is not null)
            {
                return ApiErrors.Conflict("The trainee's personal data is already erased");
            }

            var now = clock.UtcNowForDatabase();
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE trainees.trainees SET
                    provider_trainee_id = NULL, application_id = NULL, hesa_id = NULL, trn = NULL, first_names = NULL, middle_names = NULL,
                    last_name = NULL, previous_last_name = NULL, date_of_birth = NULL, ni_number = NULL, email = NULL, sex = NULL,
                    nationality = NULL, ethnicity = NULL, disabilities = '{}', defer_reason = NULL, withdrawal_reasons = NULL,
                    withdrawal_another_reason = NULL, withdrawal_safeguarding_concern_reasons = NULL, withdrawal_future_interest = NULL,
                    erased_at = @now, erased_by_type = @actorType, erased_by_id = @actorId, erased_by_name = @actorName, erasure_reason = @reason,
                    updated_at = @now
                WHERE id = @Id;

                UPDATE trainees.degrees SET
                    uk_degree = NULL, uk_degree_uuid = NULL, non_uk_degree = NULL, subject = NULL, subject_uuid = NULL, institution = NULL,
                    institution_uuid = NULL, grade = NULL, grade_uuid = NULL, other_grade = NULL, country = NULL, graduation_year = NULL,
                    updated_at = @now
                WHERE trainee_id = @Id;

                -- The upload row that made the trainee keeps its cells as sent: their personal values go too.
                UPDATE trainees.trainee_upload_rows
                SET cells = cells || coalesce(
                    (SELECT jsonb_object_agg(c, @marker) FROM unnest(@columns) AS c WHERE jsonb_typeof(cells -> c) = 'string' AND cells ->> c <> ''), '{}')
                WHERE trainee_slug = @Slug;
                """,
                new
                {
                    trainee.Id,
                    trainee.Slug,
                    now,
                    reason,
                    actorType = actor.Type,
                    actorId = actor.Id,
                    actorName = actor.Name,
                    marker = ErasedFields.Marker,
                    columns = PersonalData.UploadColumns.ToArray(),
                },
                tx, cancellationToken: ct));
            await RedactOutboxAsync(tx, trainee.Id, ct);
            await Outbox.EnqueueAsync(tx, TraineesModule.Schema,
                new TraineeErased(EventIds.Next(now), now, trainee.Id, actor, reason, trainee.ProviderId, PersonalData.Erased), ct);
            return new Erasure(trainee.Slug, trainee.ProviderId, now, new ErasedBy(actor.Type, actor.Id, actor.Name), reason);
        }, ct);

    /// <summary>
    /// The trainee's notifications in the outbox, delivered or not, carry its values: each is rewritten with them redacted, so
    /// one delivered late carries none. (The outbox has no index by record: an erasure reads all of it, which is rare enough.)
    /// </summary>
    private static async Task RedactOutboxAsync(NpgsqlTransaction tx, Guid traineeId, CancellationToken ct)
    {
        var rows = await tx.Connection!.QueryAsync<OutboxRow>(new CommandDefinition(
            "SELECT id, payload::text AS payload FROM trainees.outbox WHERE type = @type AND payload ->> 'recordId' = @recordId",
            new { type = typeof(TraineeChanged).FullName, recordId = traineeId.ToString() }, tx, cancellationToken: ct));
        foreach (var row in rows)
        {
            var change = JsonSerializer.Deserialize<TraineeChanged>(row.Payload, OutboxJson)!;
            var redacted = ErasedFields.Redact(PersonalData.Erased, change.RecordType, change.Changes);
            if (!redacted.SequenceEqual(change.Changes))
            {
                await tx.Connection!.ExecuteAsync(new CommandDefinition(
                    "UPDATE trainees.outbox SET payload = @payload::jsonb WHERE id = @Id",
                    new { row.Id, payload = JsonSerializer.Serialize(change with { Changes = redacted }, OutboxJson) }, tx, cancellationToken: ct));
            }
        }
    }

    /// <summary>The outbox's own JSON (<c>Outbox</c> writes payloads with the web defaults).</summary>
    private static readonly JsonSerializerOptions OutboxJson = new(JsonSerializerDefaults.Web);

    private sealed record Found
    {
        public Guid Id { get; init; }

        public string Slug { get; init; } = "";

        public Guid ProviderId { get; init; }

        public DateTimeOffset? ErasedAt { get; init; }
    }

    private sealed record OutboxRow(Guid Id, string Payload);
}
