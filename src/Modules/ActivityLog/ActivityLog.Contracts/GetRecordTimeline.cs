using Mediator;

namespace Register.ActivityLog.Contracts;

/// <summary>
/// The newest items (at most <paramref name="Limit"/>, from 1 to 25) of one record's history: the items of any of
/// <paramref name="RecordTypes"/> whose record is <paramref name="RecordId"/> (a trainee's history is its own items and its
/// degrees' and placements', all reported with the trainee's id), newest first, with how many there are in all.
/// For pages that show a record's recent activity; the caller decides who may see it.
/// </summary>
public sealed record GetRecordTimeline(IReadOnlyList<string> RecordTypes, Guid RecordId, int Limit) : IRequest<RecordTimeline>;

/// <param name="Items">Newest first.</param>
/// <param name="Total">How many items the record has in all.</param>
public sealed record RecordTimeline(IReadOnlyList<TimelineEntry> Items, long Total);

/// <summary>One item as the activity log words it: "Trainee degree added", "By Jane Smith on 21 May 2025 at 2:22pm".</summary>
public sealed record TimelineEntry(DateTimeOffset OccurredAt, string Headline, string Byline);
