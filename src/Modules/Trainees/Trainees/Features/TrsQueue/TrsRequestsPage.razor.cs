using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Components;

namespace Register.Trainees.Features.TrsQueue;

/// <summary>
/// <c>GET /trs-requests</c> (support users): "TRS requests", the summary of the work Register owes TRS that is not done
/// (<see cref="TrsQueue.SummaryAsync"/>), then the open requests filtered by state and kind (checkboxes, removable tags,
/// "Clear filters"), oldest first, 25 a page, each with "Retry". The same figures and list as <c>/support/trs-requests</c>.
/// A value a filter does not know is ignored, as on the other list pages.
/// </summary>
public sealed partial class TrsRequestsPage
{
    public const int PageSize = 25;

    public sealed record SummaryView(
        int Open, IReadOnlyList<(string Kind, int Count)> ByKind, int Pending, int Stuck, int Failed, int PotentialDuplicates, string? Oldest);

    public sealed record Row(
        Guid Id, string Kind, string TraineeId, string Provider, string CreatedOn, int DaysWaiting, int Attempts, string? LastAttempt, string? LastError,
        string State, string StateColour, bool PotentialDuplicate);

    public sealed record FilterTag(string Text, string RemoveHref);

    public sealed record FilterGroup(string Title, IReadOnlyList<FilterTag> Tags);

    public sealed record PageModel(
        SummaryView Summary, IReadOnlyList<Row> Requests, long Total, int Page, int TotalPages, long From, long To, Func<int, string> PageHref,
        IReadOnlyList<string> States, IReadOnlyList<string> Kinds, IReadOnlyList<FilterGroup> Selected);

    [Parameter, EditorRequired] public PageModel Model { get; set; } = default!;

    internal static readonly IReadOnlyList<Choice> StateChoices =
    [
        new(TrsQueue.Pending, "Pending", "Waiting as it should"),
        new(TrsQueue.Stuck, "Stuck", $"{TrsQueue.StuckAttempts} or more attempts with an error, a potential duplicate for more than {TrsQueue.StuckDuplicate.TotalDays} days, or overdue by more than an hour"),
        new(TrsQueue.Failed, "Failed", "Refused by TRS: waits until it is retried"),
        new(TrsQueue.PotentialDuplicate, "Potential duplicate", "TRS's staff are checking a possible match"),
    ];

    internal static readonly IReadOnlyList<Choice> KindChoices = TrsQueue.Kinds.Select(k => new Choice(k, TrsQueue.KindLabel(k))).ToList();

    internal static void Map(RouteGroupBuilder web) =>
        web.MapGet("/trs-requests", async (HttpContext http, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct) =>
        {
            var query = http.Request.Query;
            var states = Values(query, "state", TrsQueue.StateFilters);
            var kinds = Values(query, "kind", TrsQueue.Kinds);
            if (!PageRequest.TryParse(query["page"].FirstOrDefault(), null, PageSize, PageSize, out var paging, out _))
            {
                paging = new PageRequest(1, PageSize);
            }

            var now = clock.UtcNowForDatabase();
            var summary = await TrsQueue.SummaryAsync(db, now, ct);
            var (requests, total) = await TrsQueue.PageAsync(db, new TrsQueue.Filters(states, kinds), paging, now, ct);

            var fields = states.Select(s => ("state", s)).Concat(kinds.Select(k => ("kind", k))).ToList();
            string Href(IEnumerable<(string Name, string Value)> parameters) =>
                QueryHelpers.AddQueryString("/trs-requests", parameters.Select(p => new KeyValuePair<string, string?>(p.Name, p.Value)));
            FilterTag Tag(string text, string name, string value) => new(text, Href(fields.Where(f => f != (name, value))));
            var selected = new List<FilterGroup>();
            if (states.Count > 0)
            {
                selected.Add(new FilterGroup("State", states.Select(s => Tag(TrsQueue.StateLabel(s), "state", s)).ToList()));
            }

            if (kinds.Count > 0)
            {
                selected.Add(new FilterGroup("Kind", kinds.Select(k => Tag(TrsQueue.KindLabel(k), "kind", k)).ToList()));
            }

            return Pages.Show<TrsRequestsPage>(http, new PageModel(
                new SummaryView(
                    summary.Open,
                    [("trn", summary.OpenByKind.Trn), ("route", summary.OpenByKind.Route), ("award", summary.OpenByKind.Award), ("personal_data", summary.OpenByKind.PersonalData)],
                    summary.Pending, summary.Stuck, summary.Failed, summary.PotentialDuplicates,
                    summary.OldestOpen is { } o ? $"{TrsQueue.KindLabel(o.Kind)}, created {Formats.DateTime(o.CreatedAt)} ({Days(o.DaysWaiting)})" : null),
                requests.Select(ToRow).ToList(), total, paging.Page, Pagination.Of(paging.Page, PageSize, total).TotalPages,
                Math.Min(total, paging.Offset + 1), Math.Min(total, paging.Offset + PageSize),
                page => Href([.. fields, ("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture))]),
                states, kinds, selected));
        });

    internal static string Days(int days) => days == 1 ? "1 day" : $"{days} days";

    private static Row ToRow(TrsQueue.Request r) => new(
        r.Id, TrsQueue.KindLabel(r.Kind), r.TraineeId, r.Provider.Name ?? "Unknown provider", Formats.Date(LondonTime.DayOf(r.CreatedAt)), r.DaysWaiting, r.Attempts,
        Formats.DateTime(r.LastAttemptAt), r.LastError, TrsQueue.StateLabel(r.State), StateColour(r.State), r.PotentialDuplicate);

    internal static string StateColour(string state) => state switch
    {
        TrsQueue.Failed => "red",
        TrsQueue.Stuck => "orange",
        _ => "blue",
    };

    /// <summary>The values of a repeated query parameter that are among <paramref name="allowed"/> (anything else is ignored).</summary>
    private static List<string> Values(IQueryCollection query, string name, IReadOnlyCollection<string> allowed) =>
        query[name].Where(v => v is not null && allowed.Contains(v)).Select(v => v!).Distinct().ToList();
}
