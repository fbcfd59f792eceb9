using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Forms;
using Register.BuildingBlocks.Web.Layout;

namespace Register.Access.Features.ApiClients;

/// <summary>"Change API client": the name only (<c>/api-clients/{id}/edit</c> → <c>/api-clients/{id}/check</c>), saved by <see cref="RenameApiClient"/>.</summary>
public sealed partial class EditApiClientPage
{
    public sealed record PageModel(Guid Id, string Name, string ExpiresOn, FormState Form);

    public sealed record Draft(string Name);

    [Parameter, EditorRequired] public PageModel Model { get; set; } = default!;

    private static string Journey(Guid id) => $"api-clients/{id}/edit";

    internal static void Map(RouteGroupBuilder web)
    {
        web.MapGet("/api-clients/{id:guid}/edit", async (Guid id, HttpContext http, NpgsqlDataSource db, Drafts drafts, TimeProvider clock) =>
            await LiveAsync(id, http, db, clock) is not { } client ? Pages.NotFound()
            : Pages.Show<EditApiClientPage>(http, new PageModel(id, client.Name, Formats.Date(client.ExpiresOn),
                FormState.Of([new("name", (http.Request.Query["change"] == "true" ? await drafts.LoadAsync<Draft>(http, Journey(id)) : null)?.Name ?? client.Name)]))));

        web.MapPost("/api-clients/{id:guid}/edit", async (Guid id, HttpContext http, IFormCollection form, NpgsqlDataSource db, Drafts drafts, TimeProvider clock) =>
        {
            if (await LiveAsync(id, http, db, clock) is not { } client)
            {
                return Pages.NotFound();
            }

            var name = form["name"].ToString().Trim();
            await using var connection = await db.OpenConnectionAsync(http.RequestAborted);
            var errors = (await AddApiClientPage.ErrorsAsync(connection, name, client.ExpiresOn, clock, http.RequestAborted, except: id)).Where(e => e.Field == "name").ToList();
            if (errors.Count > 0)
            {
                return Pages.Invalid<EditApiClientPage>(http, new PageModel(id, client.Name, Formats.Date(client.ExpiresOn), FormState.From(form, errors)));
            }

            await drafts.SaveAsync(http, Journey(id), new Draft(name));
            return Pages.Redirect($"/api-clients/{id}/check");
        });

        web.MapGet("/api-clients/{id:guid}/check", async (Guid id, HttpContext http, NpgsqlDataSource db, Drafts drafts, TimeProvider clock) =>
            await LiveAsync(id, http, db, clock) is not { } client ? Pages.NotFound()
            : await drafts.LoadAsync<Draft>(http, Journey(id)) is { } draft ? Check(http, client, draft)
            : Pages.Redirect($"/api-clients/{id}/edit"));

        web.MapPost("/api-clients/{id:guid}/check", async (Guid id, HttpContext http, NpgsqlDataSource db, Drafts drafts, TransactionRunner transactions, TimeProvider clock) =>
        {
            if (await LiveAsync(id, http, db, clock) is not { } client)
            {
                return Pages.NotFound();
            }

            if (await drafts.LoadAsync<Draft>(http, Journey(id)) is not { } draft)
            {
                return Pages.Redirect($"/api-clients/{id}/edit");
            }

            var outcome = await RenameApiClient.RunAsync(transactions, id, draft.Name, http.SignedInUser().Actor, clock, http.RequestAborted);
            return await drafts.FinishAsync(http, Journey(id), outcome,
                errors => Check(http, client, draft, errors.Select(e => AddApiClientPage.ForPeople(e, clock, draft.Name)).ToList()),
                _ => Pages.Redirect("/api-clients", "API client updated"));
        });
    }

    /// <summary>A client the person may see that is still active (revoked and expired clients cannot be changed).</summary>
    private static async Task<ApiClient?> LiveAsync(Guid id, HttpContext http, NpgsqlDataSource db, TimeProvider clock)
    {
        await using var connection = await db.OpenConnectionAsync(http.RequestAborted);
        var client = await ApiClientPages.FindVisibleAsync(connection, id, http.SignedInUser(), http.RequestAborted);
        return client is not null && client.Status(clock.TodayInLondon()) == "active" ? client : null;
    }

    private static IResult Check(HttpContext http, ApiClient client, Draft draft, IReadOnlyList<ApiError>? errors = null) =>
        CheckAnswersPage.Show(http, new CheckAnswersPage.PageModel(
            $"API client - {client.Name}", "Change API client", [new AnswerSection(null, ApiClientPages.Rows(draft.Name, client.ExpiresOn, $"/api-clients/{client.Id}/edit?change=true"))],
            $"/api-clients/{client.Id}/check", "Save API client", $"/api-clients/{client.Id}", $"/api-clients/{client.Id}/edit")
        {
            Errors = errors,
            StepOf = _ => $"/api-clients/{client.Id}/edit?change=true",
        });
}
