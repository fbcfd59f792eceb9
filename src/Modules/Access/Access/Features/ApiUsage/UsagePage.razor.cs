using System.Globalization;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.Access.Features.ApiClients;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;
using Register.Providers.Contracts;
using Register.Trainees.Contracts;

namespace Register.Access.Features.ApiUsage;

/// <summary>
/// <c>GET /usage</c> (support users): how Register is used this week (from Monday, London) and this academic year (from
/// 1 August, London): providers calling the trainee API and providers uploading CSV files (in the browser, or by a token),
/// each provider's figures, the API clients' error rates, why uploads failed, and the API clients never used. Four queries
/// of aggregates: API usage from <c>access.api_client_usage</c>, uploads from the Trainees module (<see cref="GetUploadUsage"/>),
/// provider names from the Providers module (<see cref="GetProviderHeadings"/>). A trainee API client belongs to its provider
/// (<c>organisation_id</c>).
/// </summary>
public sealed partial class UsagePage
{
    public sealed record Figure(string Text, string Week, string Year);

    public sealed record ProviderRow(string Name, string ApiRequests, string InBrowser, string ByToken, string Failed, string TraineesCreated);

    public sealed record ClientRow(Guid Id, string Name, string Api, string WeekRequests, string WeekErrorRate, string YearRequests, string YearErrors, string YearErrorRate);

    public sealed record ReasonRow(string Reason, string Rows, string Uploads);

    public sealed record FailedRow(string Provider, string UploadedAt, string How, string Rows, string Reason);

    public sealed record NeverUsedRow(Guid Id, string Name, string Api, string Provider, string CreatedOn, string StatusText, string StatusColour);

    public sealed record PageModel(
        string WeekFrom, string YearFrom, string YearName, IReadOnlyList<Figure> Figures, IReadOnlyList<ProviderRow> Providers, IReadOnlyList<ClientRow> Clients,
        IReadOnlyList<ReasonRow> Reasons, IReadOnlyList<FailedRow> Failed, IReadOnlyList<NeverUsedRow> NeverUsed);

    [Parameter, EditorRequired] public PageModel Model { get; set; } = default!;

    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    internal static void Map(RouteGroupBuilder web) =>
        web.MapGet("/usage", async (HttpContext http, NpgsqlDataSource db, ISender sender, TimeProvider clock, CancellationToken ct) =>
            Pages.Show<UsagePage>(http, await BuildAsync(db, sender, clock.TodayInLondon(), ct)));

    /// <summary>The Monday of the London week <paramref name="today"/> is in.</summary>
    public static DateOnly WeekStart(DateOnly today) => today.AddDays(-(((int)today.DayOfWeek + 6) % 7));

    /// <summary>1 August of the academic year <paramref name="today"/> is in.</summary>
    public static DateOnly AcademicYearStart(DateOnly today) => new(today.Month >= 8 ? today.Year : today.Year - 1, 8, 1);

    internal static async Task<PageModel> BuildAsync(NpgsqlDataSource db, ISender sender, DateOnly today, CancellationToken ct)
    {
        var week = WeekStart(today);
        var year = AcademicYearStart(today);
        IReadOnlyList<ApiUsageReport.ClientTotals> clients;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            // From the start of the year or of the week, whichever is earlier (a week can start in July).
            var from = week < year ? week : year;
            clients = await ApiUsageReport.ClientsAsync(connection, new ApiUsageReport.Filter(from, today, null, null), week, ct);
        }

        var yearUploads = await sender.Send(new GetUploadUsage(year, today), ct);
        var weekUploads = await sender.Send(new GetUploadUsage(week, today, LatestFailed: 0, TopReasons: 0), ct);

        // A week starting in July counts requests before 1 August: the year's figures are this academic year's only.
        IReadOnlyList<ApiUsageReport.ClientTotals> yearClients = clients;
        if (week < year)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            yearClients = await ApiUsageReport.ClientsAsync(connection, new ApiUsageReport.Filter(year, today, null, null), null, ct);
        }

        var srs = clients.Where(c => c.Audience == ApiAudiences.TraineesApi && c.OrganisationId is not null).ToList();
        var apiWeek = srs.Where(c => c.RecentRequests > 0).GroupBy(c => c.OrganisationId!.Value).ToDictionary(g => g.Key, g => g.Sum(c => c.RecentRequests));
        var apiYear = yearClients.Where(c => c.Audience == ApiAudiences.TraineesApi && c.OrganisationId is not null && c.Requests > 0)
            .GroupBy(c => c.OrganisationId!.Value).ToDictionary(g => g.Key, g => g.Sum(c => c.Requests));
        var uploadsYear = yearUploads.Providers.ToDictionary(p => p.ProviderId);

        var providerIds = apiYear.Keys.Concat(apiWeek.Keys).Concat(uploadsYear.Keys).Concat(yearUploads.LatestFailed.Select(f => f.ProviderId))
            .Concat(clients.Where(c => c.OrganisationId is not null).Select(c => c.OrganisationId!.Value)).Distinct().ToList();
        var names = (await sender.Send(new GetProviderHeadings(providerIds), ct)).ToDictionary(p => p.Id, p => p.OperatingName);
        string Name(Guid id) => names.GetValueOrDefault(id) ?? "Unknown provider";

        var figures = new List<Figure>
        {
            Figures("Providers calling the trainee API", apiWeek.Count, apiYear.Count),
            Figures("Providers uploading CSV files", weekUploads.Providers.Count, yearUploads.Providers.Count),
            Figures("Providers uploading in the browser", weekUploads.Providers.Count(p => p.InBrowser > 0), yearUploads.Providers.Count(p => p.InBrowser > 0)),
            Figures("Providers uploading over the API", weekUploads.Providers.Count(p => p.ByToken > 0), yearUploads.Providers.Count(p => p.ByToken > 0)),
            Figures("Trainee API requests", apiWeek.Values.Sum(), apiYear.Values.Sum()),
            Figures("CSV uploads", weekUploads.Providers.Sum(p => p.Uploads), yearUploads.Providers.Sum(p => p.Uploads)),
            Figures("Failed CSV uploads", weekUploads.Providers.Sum(p => p.Failed), yearUploads.Providers.Sum(p => p.Failed)),
            Figures("Trainees added by CSV uploads", weekUploads.Providers.Sum(p => p.TraineesCreated), yearUploads.Providers.Sum(p => p.TraineesCreated)),
        };

        var providers = apiYear.Keys.Concat(uploadsYear.Keys).Distinct()
            .Select(id => (Id: id, Api: apiYear.GetValueOrDefault(id), Uploads: uploadsYear.GetValueOrDefault(id)))
            .OrderBy(p => Name(p.Id), StringComparer.OrdinalIgnoreCase)
            .Select(p => new ProviderRow(
                Name(p.Id), Formats.Count(p.Api), Formats.Count(p.Uploads?.InBrowser ?? 0), Formats.Count(p.Uploads?.ByToken ?? 0),
                Formats.Count(p.Uploads?.Failed ?? 0), Formats.Count(p.Uploads?.TraineesCreated ?? 0)))
            .ToList();

        var recent = clients.ToDictionary(c => c.Id);
        var used = yearClients.Where(c => c.Requests > 0)
            .OrderByDescending(c => ApiUsageReport.ErrorRate(c.Requests, c.Errors)).ThenBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
            .Select(c =>
            {
                var thisWeek = recent.GetValueOrDefault(c.Id);
                return new ClientRow(
                    c.Id, c.Name, ApiClientPages.ApiName(c.Audience),
                    Formats.Count(thisWeek?.RecentRequests ?? 0), Rate(thisWeek?.RecentRequests ?? 0, thisWeek?.RecentErrors ?? 0),
                    Formats.Count(c.Requests), Formats.Count(c.Errors), Rate(c.Requests, c.Errors));
            })
            .ToList();

        var neverUsed = clients.Where(c => c.LastUsedAt is null && c.Requests == 0)
            .Select(c =>
            {
                var (text, colour) = ApiClientPages.StatusTag(c.Status(today));
                return new NeverUsedRow(
                    c.Id, c.Name, ApiClientPages.ApiName(c.Audience), c.Audience == ApiAudiences.TraineesApi && c.OrganisationId is { } p ? Name(p) : "",
                    Formats.Date(LondonTime.DayOf(c.CreatedAt)), text, colour);
            })
            .ToList();

        return new PageModel(
            Formats.Date(week), Formats.Date(year), $"{year.Year} to {year.Year + 1}", figures, providers, used,
            yearUploads.Reasons.Select(r => new ReasonRow(r.Reason, Formats.Count(r.Rows), Formats.Count(r.Uploads))).ToList(),
            yearUploads.LatestFailed.Select(f => new FailedRow(
                Name(f.ProviderId), Formats.DateTime(f.CreatedAt), f.InBrowser ? "In the browser" : "Over the API",
                $"{Formats.Count(f.RowsFailed)} of {Formats.Count(f.TotalRows)}", f.Reason)).ToList(),
            neverUsed);
    }

    private static Figure Figures(string text, long week, long year) => new(text, Formats.Count(week), Formats.Count(year));

    /// <summary>"2.5%", or "No requests".</summary>
    public static string Rate(long requests, long errors) =>
        ApiUsageReport.ErrorRate(requests, errors) is { } rate ? (rate * 100).ToString("0.#", English) + "%" : "No requests";
}
