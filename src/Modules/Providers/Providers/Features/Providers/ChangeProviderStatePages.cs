using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Layout;
using Register.Providers.Domain;

namespace Register.Providers.Features.Providers;

/// <summary>
/// <c>/providers/{id}/archive</c>, <c>/restore</c> and <c>/delete</c>: the confirmations, then <see cref="ChangeProviderState"/>.
/// Archiving and deleting are destructive actions: at most three in three minutes per person (429).
/// </summary>
internal static class ChangeProviderStatePages
{
    public static void Map(RouteGroupBuilder web)
    {
        web.MapGet("/providers/{id:guid}/archive", (Guid id, HttpContext http, NpgsqlDataSource db) => ConfirmAsync(id, http, db, p =>
            p.IsArchived ? Pages.Redirect($"/providers/{id}")
            : Pages.Show<ConfirmPage>(http, new ConfirmPage.PageModel(
                $"Confirm you want to archive {p.OperatingName} - {p.OperatingName}", p.OperatingName, $"Confirm you want to archive {p.OperatingName}",
                $"/providers/{id}/archive", "Archive provider", $"/providers/{id}")
            {
                Paragraphs = ["After archiving the provider, you will not be able to make changes to it.", "You can restore the provider at any time."],
                Destructive = false,
            })));
        web.MapPost("/providers/{id:guid}/archive", (Guid id, HttpContext http, TransactionRunner t, TimeProvider clock) =>
            ChangeAsync(id, RecordActions.Archived, http, t, clock, $"/providers/{id}", "Provider archived")).Destructive();

        web.MapGet("/providers/{id:guid}/restore", (Guid id, HttpContext http, NpgsqlDataSource db) => ConfirmAsync(id, http, db, p =>
            !p.IsArchived ? Pages.Redirect($"/providers/{id}")
            : Pages.Show<ConfirmPage>(http, new ConfirmPage.PageModel(
                $"Confirm you want to restore {p.OperatingName} - Restore provider", "Restore provider", $"Confirm you want to restore {p.OperatingName}",
                $"/providers/{id}/restore", "Restore provider", $"/providers/{id}")
            {
                Paragraphs = ["After restoring the provider, you will be able to make changes to it."],
                Destructive = false,
            })));
        web.MapPost("/providers/{id:guid}/restore", (Guid id, HttpContext http, TransactionRunner t, TimeProvider clock) =>
            ChangeAsync(id, RecordActions.Restored, http, t, clock, $"/providers/{id}", "Provider restored"));

        web.MapGet("/providers/{id:guid}/delete", (Guid id, HttpContext http, NpgsqlDataSource db) => ConfirmAsync(id, http, db, p =>
            Pages.Show<ConfirmPage>(http, new ConfirmPage.PageModel(
                $"Confirm you want to delete {p.OperatingName} - Delete provider", "Delete provider", $"Confirm you want to delete {p.OperatingName}",
                $"/providers/{id}/delete", "Delete provider", $"/providers/{id}")
            {
                Paragraphs = ["The provider disappears from the register, its lists and its APIs. Its history is kept."],
                Warning = "Deleting a provider is permanent – you cannot undo it.",
            })));
        web.MapPost("/providers/{id:guid}/delete", (Guid id, HttpContext http, TransactionRunner t, TimeProvider clock) =>
            ChangeAsync(id, RecordActions.Deleted, http, t, clock, "/providers", "Provider deleted")).Destructive();
    }

    private static async Task<IResult> ConfirmAsync(Guid id, HttpContext http, NpgsqlDataSource db, Func<Provider, IResult> then)
    {
        await using var connection = await db.OpenConnectionAsync(http.RequestAborted);
        return await Provider.FindAsync(connection, id, null, http.RequestAborted) is { } provider ? then(provider) : Pages.NotFound();
    }

    private static async Task<IResult> ChangeAsync(Guid id, string action, HttpContext http, TransactionRunner transactions, TimeProvider clock, string then, string flash)
    {
        var outcome = await ChangeProviderState.RunAsync(transactions, clock, id, action, http.SignedInUser().Actor, http.RequestAborted);
        return outcome.Succeeded ? Pages.Redirect(then, flash) : Pages.Problem(outcome.Error!);
    }
}
