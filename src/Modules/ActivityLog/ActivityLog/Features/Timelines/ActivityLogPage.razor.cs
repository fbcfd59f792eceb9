using System.Globalization;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Register.ActivityLog.Features.PersonalData;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Components;
using Register.BuildingBlocks.Web.Layout;
using Register.Providers.Contracts;

namespace Register.ActivityLog.Features.Timelines;

/// <summary>
/// <c>GET /activity</c> (every module's changes: providers and their parts, partnerships, users, API clients, trainees) and
/// <c>GET /providers/{id}/activity</c> (the provider's tab): the same timelines as <c>/support/activity</c>, 25 a page. A page
/// showing trainees' changes records that the person read them (ADR 16).
/// </summary>
public sealed partial class ActivityLogPage
{
    internal static void Map(RouteGroupBuilder web)
    {
        web.MapGet("/activity", (HttpContext http, string? page, NpgsqlDataSource db, TimeProvider clock) =>
            ShowAsync(http, db, clock, page, new Timeline.Filter("true", new { }), null, "/activity"));

        web.MapGet("/providers/{providerId:guid}/activity", async (Guid providerId, HttpContext http, string? page, NpgsqlDataSource db, TimeProvider clock, ISender sender) =>
        {
            if (await sender.Send(new GetProviderHeading(providerId), http.RequestAborted) is not { } provider)
            {
                return Pages.NotFound();
            }

            var view = new ProviderView(provider.Id, provider.OperatingName, provider.Archived,
                ProviderTabs.For(providerId).Select(t => new SubNavigation.Item(t.Text, t.Href)).ToList());
            return await ShowAsync(http, db, clock, page, new Timeline.Filter("i.provider_ids @> ARRAY[@providerId]::uuid[]", new { providerId }), view, $"/providers/{providerId}/activity");
        });
    }

    private static async Task<IResult> ShowAsync(HttpContext http, NpgsqlDataSource db, TimeProvider clock, string? page, Timeline.Filter filter, ProviderView? provider, string path)
    {
        var outcome = await Timeline.LoadAsync(db, http.RequestServices.GetRequiredService<LongLists>(), clock, filter, page, null, http.RequestAborted);
        if (outcome.Value is not { } timeline)
        {
            return Pages.NotFound();
        }

        await PersonalDataReads.RecordAsync(db, clock, http, PersonalDataReads.TraineesIn(timeline), http.RequestAborted);

        return Pages.Show<ActivityLogPage>(http, new PageModel(
            provider,
            timeline.Data.Select(d => new DayView(d.Heading, d.Items.Select(ToView).ToList())).ToList(),
            timeline.Pagination.TotalCount, timeline.Pagination.Page, timeline.Pagination.TotalPages, path));
    }

    private static ItemView ToView(Timeline.Item item)
    {
        var providers = item.Providers.Select(p => new TitlePart(p.Name, p.Deleted ? null : $"/providers/{p.Id}")).ToList();
        IReadOnlyList<TitlePart> title = item.RecordName is { } name ? [new TitlePart(name, item.RecordType == "user" ? $"/users/{item.RecordId}" : $"/api-clients/{item.RecordId}")]
            : item.RecordType == "partnership" ? providers.Select(p => p with { Href = p.Href is null ? null : p.Href + "/partnerships" }).ToList()
            : providers;
        return new ItemView(item.Headline, item.Byline, title, item.Changes.Select(Row).ToList());
    }

    private static AnswerRow Row(Timeline.Change change)
    {
        var key = ChangeLabels.Field(change.Field);
        return (change.OldValue, change.NewValue) switch
        {
            (null, var now) => new AnswerRow(key, ChangeLabels.Value(change.Field, now)),
            (var was, null) => new AnswerRow(key, ChangeLabels.Value(change.Field, was)),
            var (was, now) => new AnswerRow(key, [$"{ChangeLabels.Value(change.Field, was) ?? "Not entered"} → {ChangeLabels.Value(change.Field, now) ?? "Not entered"}"]),
        };
    }
}

/// <summary>How the activity log names the fields and values the modules report.</summary>
internal static class ChangeLabels
{
    private static readonly Dictionary<string, string> Fields = new()
    {
        ["rotp_id"] = "RoTP Id",
        ["ukprn"] = "UK provider reference number (UKPRN)",
        ["urn"] = "Unique reference number (URN)",
        ["code"] = "Provider code",
        ["onboarded_on"] = "Onboard at",
        ["first_active_on"] = "First active at",
        ["number"] = "Accredited provider number",
        ["api_user"] = "API user",
        ["expires_on"] = "Expiry date",
        ["name"] = "Client name",
        ["audience"] = "API",
        ["trn"] = "TRN",
        ["trs_request"] = "TRS request",
        ["uprn"] = "UPRN",
    };

    public static string Field(string field) =>
        Fields.TryGetValue(field, out var label) ? label : char.ToUpperInvariant(field[0]) + field[1..].Replace('_', ' ');

    public static string? Value(string field, string? value) => value switch
    {
        null or "" => null,
        "true" => "Yes",
        "false" => "No",
        _ when (field.EndsWith("_on", StringComparison.Ordinal) || field.EndsWith("_date", StringComparison.Ordinal))
            && DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) => Formats.Date(date),
        _ => value,
    };
}
