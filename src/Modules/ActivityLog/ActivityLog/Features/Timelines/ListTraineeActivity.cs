using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;

namespace Register.ActivityLog.Features.Timelines;

/// <summary>
/// <c>GET /support/trainees/{id}/activity</c>: one trainee record's history. The Trainees module reports a
/// change to a trainee's degrees or placements as a change of the trainee record, so it shows here too.
/// </summary>
internal static class ListTraineeActivity
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/trainees/{traineeId:guid}/activity", (Guid traineeId, string? page, string? cursor, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct) =>
                Timeline.PageAsync(db, clock, new Timeline.Filter("i.record_type IN ('trainee', 'degree', 'placement') AND i.record_id = @traineeId", new { traineeId }), page, cursor, ct))
            .WithName("ListTraineeActivity")
            .WithSummary("A trainee's activity log")
            .Produces<Timeline.TimelinePage>()
            .Produces(StatusCodes.Status400BadRequest);
}
