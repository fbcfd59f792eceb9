using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.Access.Features.ApiUsage;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Layout;

namespace Register.Access.Features.ApiClients;

/// <summary>
/// <c>GET /api-clients/{id}</c>: a client (never its token), with Revoke while it is active, Delete, a Change link for its
/// name, and its usage: requests and errors a day for the last 30 days, and when it was last used.
/// </summary>
public sealed partial class ApiClientPage
{
    public sealed record DayRow(string Day, int Requests, int Errors);

    public sealed record PageModel(
        Guid Id, string Name, string StatusText, string StatusColour, bool Active, string CreatedBy, string CreatedAt, IReadOnlyList<AnswerRow> Rows,
        string LastUsed, IReadOnlyList<DayRow> Usage);

    [Parameter, EditorRequired] public PageModel Model { get; set; } = default!;

    internal static void Map(RouteGroupBuilder web) =>
        web.MapGet("/api-clients/{id:guid}", async (Guid id, HttpContext http, NpgsqlDataSource db, TimeProvider clock) =>
        {
            await using var connection = await db.OpenConnectionAsync(http.RequestAborted);
            if (await ApiClientPages.FindVisibleAsync(connection, id, http.SignedInUser(), http.RequestAborted) is not { } client)
            {
                return Pages.NotFound();
            }

            var today = clock.TodayInLondon();
            var status = client.Status(today);
            var (text, colour) = ApiClientPages.StatusTag(status);
            var usage = await ApiUsageQueries.LastDaysAsync(connection, client.Id, today, 30, http.RequestAborted);
            var rows = ApiClientPages.Rows(client.Name, client.ExpiresOn, status == "active" ? $"/api-clients/{id}/edit" : null).ToList();
            rows.Add(new AnswerRow("API", ApiClientPages.ApiName(client.Audience)));
            if (client.RevokedAt is { } revoked)
            {
                rows.Add(new AnswerRow("Revoked", $"{Formats.DateTime(revoked)} by {client.RevokedByName}"));
            }

            return Pages.Show<ApiClientPage>(http, new PageModel(
                client.Id, client.Name, text, colour, status == "active", client.CreatedByName, Formats.DateTime(client.CreatedAt), rows,
                client.LastUsedAt is { } used ? $"Last used on {Formats.Date(LondonTime.DayOf(used))}." : "Never used.",
                usage.Select(d => new DayRow(Formats.Date(d.Day), d.Requests, d.Errors)).ToList()));
        });
}
