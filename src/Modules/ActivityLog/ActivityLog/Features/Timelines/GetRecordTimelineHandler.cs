using Mediator;
using Npgsql;
using Register.ActivityLog.Contracts;
using Register.BuildingBlocks.Http;

namespace Register.ActivityLog.Features.Timelines;

/// <summary>Answers <see cref="GetRecordTimeline"/> from the first page of the record's timeline (the same query as its support timeline).</summary>
internal sealed class GetRecordTimelineHandler(NpgsqlDataSource db, LongLists lists, TimeProvider clock) : IRequestHandler<GetRecordTimeline, RecordTimeline>
{
    public async ValueTask<RecordTimeline> Handle(GetRecordTimeline request, CancellationToken cancellationToken)
    {
        var limit = Math.Clamp(request.Limit, 1, Timeline.PageSize);
        var filter = new Timeline.Filter(
            "i.record_type = ANY(@types) AND i.record_id = @recordId", new { types = request.RecordTypes.ToArray(), recordId = request.RecordId });
        var outcome = await Timeline.LoadAsync(db, lists, clock, filter, null, null, cancellationToken);
        var page = outcome.Value ?? throw new InvalidOperationException("The first page of a timeline is always a page.");
        return new RecordTimeline(
            page.Data.SelectMany(d => d.Items).Take(limit).Select(i => new TimelineEntry(i.OccurredAt, i.Headline, i.Byline)).ToList(),
            page.Pagination.TotalCount);
    }
}
