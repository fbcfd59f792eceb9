using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;

namespace Register.Access.Features.ApiClients;

/// <summary><c>GET /api-clients</c>: "API clients (N)", 15 a page, with status tags; an API user sees only the clients they created.</summary>
public sealed partial class ApiClientsPage
{
    public const int PageSize = 15;

    public sealed record Row(Guid Id, string Name, string CreatedBy, string Api, string ExpiresOn, string Status);

    public sealed record PageModel(IReadOnlyList<Row> Clients, long Total, int Page, int TotalPages);

    [Parameter, EditorRequired] public PageModel Model { get; set; } = default!;

    internal static void Map(RouteGroupBuilder web) =>
        web.MapGet("/api-clients", async (HttpContext http, string? page, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct) =>
        {
            if (!PageRequest.TryParse(page, null, PageSize, PageSize, out var paging, out _))
            {
                return Pages.NotFound();
            }

            var user = http.SignedInUser();
            var (clients, total) = await ListApiClients.PageAsync(db, paging, null, user.IsSupport ? null : user.Id, ct);
            var today = clock.TodayInLondon();
            return Pages.Show<ApiClientsPage>(http, new PageModel(
                clients.Select(c => new Row(c.Id, c.Name, c.CreatedByName, ApiClientPages.ApiName(c.Audience), Formats.Date(c.ExpiresOn), c.Status(today))).ToList(),
                total, paging.Page, Pagination.Of(paging.Page, PageSize, total).TotalPages));
        });
}
