using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;

namespace Register.ActivityLog.Features.Timelines;

/// <summary>
/// <c>GET /support/providers/{id}/activity</c>: everything about one provider: the provider, its
/// accreditations, addresses and contacts, and partnerships where it is either party. A provider with no
/// activity (or an unknown id) has an empty timeline.
/// </summary>
internal static class ListProviderActivity
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/providers/{providerId:guid}/activity", (Guid providerId, string? page, string? cursor, HttpContext http, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct) =>
                Timeline.PageAsync(db, clock, new Timeline.Filter("i.provider_ids @> ARRAY[@providerId]::uuid[]", new { providerId }), page, cursor, http, ct))
            .WithName("ListProviderActivity")
            .WithSummary("A provider's activity log")
            .Produces<Timeline.TimelinePage>()
            .Produces(StatusCodes.Status400BadRequest);
}
