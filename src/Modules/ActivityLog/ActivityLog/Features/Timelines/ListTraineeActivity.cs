using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks.Http;
using Register.Trainees.Contracts;

namespace Register.ActivityLog.Features.Timelines;

/// <summary>
/// <c>GET /support/trainees/{trainee_id}/activity</c>: one trainee record's history, by the <c>trainee_id</c> the trainee API
/// shows. The internal id (an activity item's <c>record_id</c>) is accepted too, so an item of the global log leads here;
/// both are looked up in the Trainees module, so an id Register does not know is a 404. The Trainees module reports a change
/// to a trainee's degrees or placements as a change of the trainee record, so it shows here too. Each read is recorded (ADR 16).
/// </summary>
internal static class ListTraineeActivity
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/trainees/{traineeId}/activity", async (
                string traineeId, string? page, string? cursor, HttpContext http, ISender sender, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct) =>
                await sender.Send(new FindTrainee(traineeId), ct) is { } trainee
                    ? await Timeline.PageAsync(db, clock,
                        new Timeline.Filter("i.record_type = ANY(@types) AND i.record_id = @traineeId", new { types = TraineeRecords.Types.ToArray(), traineeId = trainee.Id }),
                        page, cursor, http, ct, trainee.Id)
                    : ApiErrors.NotFound("Trainee not found"))
            .WithName("ListTraineeActivity")
            .WithSummary("A trainee's activity log, by its trainee_id")
            .Produces<Timeline.TimelinePage>()
            .Produces(StatusCodes.Status400BadRequest)
            .Produces(StatusCodes.Status404NotFound);
}
