using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Layout;
using Register.Trainees.Features.Trs;

namespace Register.Trainees.Features.TrsQueue;

/// <summary>
/// <c>/trs-requests/{id}/retry</c>: "Confirm you want to retry this TRS request" with what support sees of it, then
/// <see cref="RetryTrsRequest"/> and back to the list with "TRS request retried". 404 for a request Register does not have,
/// 409 for one already done.
/// </summary>
internal static class RetryTrsRequestPage
{
    public static void Map(RouteGroupBuilder web)
    {
        web.MapGet("/trs-requests/{id:guid}/retry", async (Guid id, HttpContext http, NpgsqlDataSource db, TimeProvider clock) =>
        {
            await using var connection = await db.OpenConnectionAsync(http.RequestAborted);
            if (await TrsQueue.FindAsync(connection, id, clock.UtcNowForDatabase(), null, http.RequestAborted) is not { } found)
            {
                return Pages.NotFound();
            }

            var request = found.Request;
            if (found.Completed)
            {
                return Pages.Problem(ApiErrors.Conflict("The TRS request is already done"));
            }

            return Pages.Show<ConfirmPage>(http, new ConfirmPage.PageModel(
                "Confirm you want to retry this TRS request", "TRS requests", "Confirm you want to retry this TRS request", $"/trs-requests/{id}/retry", "Retry request",
                "/trs-requests")
            {
                Rows =
                [
                    new AnswerRow("Request", TrsQueue.KindLabel(request.Kind)),
                    new AnswerRow("Trainee ID", request.TraineeId),
                    new AnswerRow("Provider", request.Provider.Name ?? "Unknown provider"),
                    new AnswerRow("State", TrsQueue.StateLabel(request.State) + (request.PotentialDuplicate ? " (potential duplicate)" : "")),
                    new AnswerRow("Waiting", $"{TrsRequestsPage.Days(request.DaysWaiting)}, since {Formats.DateTime(request.CreatedAt)}"),
                    new AnswerRow("Attempts", request.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    new AnswerRow("Last error", request.LastError),
                ],
                Paragraphs =
                [
                    "Register sends the request to TRS again now. A failed request is tried again, and its attempts start again from 0.",
                    "The retry is recorded in the trainee's activity log.",
                ],
                Destructive = false,
            });
        });

        web.MapPost("/trs-requests/{id:guid}/retry", async (Guid id, HttpContext http, TransactionRunner transactions, TrsWorker worker, TimeProvider clock) =>
        {
            var outcome = await RetryTrsRequest.RunAsync(transactions, worker, id, http.SignedInUser().Actor, clock, http.RequestAborted);
            return outcome.Succeeded ? Pages.Redirect("/trs-requests", "TRS request retried") : Pages.Problem(outcome.Error!);
        });
    }
}
