using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Http;

namespace Register.ActivityLog.Features.Timelines;

/// <summary>
/// <c>GET /support/activity</c>: the global timeline. Filters: <c>record_type</c> (comma-separated, e.g.
/// <c>provider,accreditation</c>), <c>from</c> and <c>to</c> (London days, inclusive).
/// </summary>
internal static class ListActivity
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/activity", HandleAsync)
            .WithName("ListActivity")
            .WithSummary("The global activity log: newest first, grouped by day")
            .WithQueryParameter("record_type", "string", "Only changes to these kinds of record: a comma list, such as provider,partnership")
            .WithQueryParameter("from", "string", "Only changes on or after this London day (YYYY-MM-DD)", format: "date")
            .WithQueryParameter("to", "string", "Only changes on or before this London day (YYYY-MM-DD)", format: "date")
            .WithQueryParameter("page", "integer", "The page, from 1")
            .WithQueryParameter("cursor", "string", "The next_cursor of the previous page, for pages that stay right while changes arrive")
            .Produces<Timeline.TimelinePage>()
            .Produces(StatusCodes.Status400BadRequest);

    private static async Task<IResult> HandleAsync(
        string? record_type, string? from, string? to, string? page, string? cursor, HttpContext http, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        var types = (record_type ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (!TryDay(from, out var fromDay) || !TryDay(to, out var toDay))
        {
            return ApiErrors.BadRequest("from and to must be dates in the format YYYY-MM-DD, between 1900 and 2100", TryDay(from, out _) ? "to" : "from");
        }

        if (fromDay > toDay)
        {
            return ApiErrors.BadRequest("from must be on or before to", "from");
        }

        var where = string.Join(" AND ", new[]
        {
            "true",
            types.Length == 0 ? null : "i.record_type = ANY(@types)",
            fromDay is null ? null : "i.occurred_at >= @fromAt",
            toDay is null ? null : "i.occurred_at < @toAt",
        }.Where(c => c is not null));
        var filter = new Timeline.Filter(where, new
        {
            types,
            fromAt = fromDay is { } f ? LondonTime.StartOfLondonDay(f) : (DateTimeOffset?)null,
            toAt = toDay is { } t ? LondonTime.StartOfLondonDay(t.AddDays(1)) : (DateTimeOffset?)null,
        });
        return await Timeline.PageAsync(db, clock, filter, page, cursor, http, ct);
    }

    private static bool TryDay(string? value, out DateOnly? day)
    {
        day = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        var ok = DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) && parsed.Year is >= 1900 and <= 2100;
        day = ok ? parsed : null;
        return ok;
    }
}
