using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks.Http;

namespace Register.ActivityLog.Features.ListActivity;

/// <summary><c>GET /support/activity</c>: the global timeline, newest first, 25 a page.</summary>
internal static class ListActivity
{
    internal sealed record ActivityChange(string Field, string? OldValue, string? NewValue);

    internal sealed record ActivityActor(string Type, Guid? Id, string Name);

    internal sealed record ActivityItem(
        Guid Id, DateTimeOffset OccurredAt, string RecordType, Guid RecordId, string Action, ActivityActor Actor, IReadOnlyList<ActivityChange> Changes);

    private sealed record Row
    {
        public Guid EventId { get; init; }

        public DateTimeOffset OccurredAt { get; init; }

        public string RecordType { get; init; } = "";

        public Guid RecordId { get; init; }

        public string Action { get; init; } = "";

        public string ActorType { get; init; } = "";

        public Guid? ActorId { get; init; }

        public string ActorName { get; init; } = "";

        public string Changes { get; init; } = "[]";
    }

    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/activity", HandleAsync)
            .WithName("ListActivity")
            .WithSummary("The global activity log, newest first")
            .Produces<Page<ActivityItem>>()
            .Produces(StatusCodes.Status400BadRequest);

    private static async Task<IResult> HandleAsync(string? page, string? per_page, NpgsqlDataSource db, CancellationToken ct)
    {
        if (!PageRequest.TryParse(page, per_page, defaultPerPage: 25, maxPerPage: 100, out var paging, out var error))
        {
            return error!;
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM activity_log.activity_items", cancellationToken: ct));
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT event_id, occurred_at, record_type, record_id, action, actor_type, actor_id, actor_name, changes::text AS changes
            FROM activity_log.activity_items
            ORDER BY occurred_at DESC, event_id DESC
            LIMIT @PerPage OFFSET @Offset
            """,
            new { paging.PerPage, paging.Offset }, cancellationToken: ct));
        var items = rows.Select(r => new ActivityItem(
            r.EventId, r.OccurredAt, r.RecordType, r.RecordId, r.Action, new ActivityActor(r.ActorType, r.ActorId, r.ActorName),
            JsonSerializer.Deserialize<List<ActivityChange>>(r.Changes, RegisterJson.Options) ?? [])).ToList();
        return TypedResults.Ok(new Page<ActivityItem>(items, Pagination.Of(paging.Page, paging.PerPage, total)));
    }
}
