using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Forms;
using Register.BuildingBlocks.Web.Layout;
using Register.Partnerships.Domain;
using Step = Register.Partnerships.Features.ProviderPartnerships.PartnershipStepPage.PartnershipStep;

namespace Register.Partnerships.Features.ProviderPartnerships;

/// <summary>
/// "Change partnership" (<c>/providers/{id}/partnerships/{partnershipId}/dates</c> → academic years → check, the partner
/// fixed; saved by <see cref="UpdatePartnership"/>, "Partnership updated") and "Delete partnership"
/// (<c>…/delete</c>, <see cref="DeletePartnership"/>, "Partnership deleted").
/// </summary>
internal static class EditPartnershipPages
{
    public static void Map(RouteGroupBuilder web)
    {
        const string Base = "/providers/{providerId:guid}/partnerships/{id:guid}";

        web.MapGet(Base + "/dates", async (Guid providerId, Guid id, HttpContext http, ISender sender, Drafts drafts, NpgsqlDataSource db) =>
        {
            // Coming from the partnership's card, the journey starts from the partnership as it is; a Change link from the check page keeps the answers.
            if (!PartnershipJourney.IsChange(http))
            {
                await drafts.DeleteAsync(http, $"providers/{providerId}/partnerships/{id}");
            }

            return await WithJourneyAsync(providerId, id, http, sender, drafts, db, (journey, draft, _) => Task.FromResult(journey.Dates(http, draft, journey.Tab)));
        });

        web.MapPost(Base + "/dates", (Guid providerId, Guid id, HttpContext http, IFormCollection form, ISender sender, Drafts drafts, NpgsqlDataSource db, TimeProvider clock) =>
            WithJourneyAsync(providerId, id, http, sender, drafts, db, async (journey, draft, _) =>
            {
                var (updated, invalid) = journey.ReadDates(http, form, draft, journey.Tab, clock.TodayInLondon());
                if (updated is null)
                {
                    return invalid!;
                }

                await drafts.SaveAsync(http, journey.DraftKey, updated);
                return Pages.Redirect(updated.Years is { Count: > 0 } ? journey.Next(http, Step.Years) : $"{journey.Base}/academic-years");
            }));

        web.MapGet(Base + "/academic-years", (Guid providerId, Guid id, HttpContext http, ISender sender, Drafts drafts, NpgsqlDataSource db, TimeProvider clock) =>
            WithJourneyAsync(providerId, id, http, sender, drafts, db, (journey, draft, _) => Task.FromResult(journey.Years(http, draft, clock.TodayInLondon()))));

        web.MapPost(Base + "/academic-years", (Guid providerId, Guid id, HttpContext http, IFormCollection form, ISender sender, Drafts drafts, NpgsqlDataSource db, TimeProvider clock) =>
            WithJourneyAsync(providerId, id, http, sender, drafts, db, async (journey, draft, _) =>
            {
                var (updated, invalid) = journey.ReadYears(http, form, draft, clock.TodayInLondon());
                if (updated is null)
                {
                    return invalid!;
                }

                await drafts.SaveAsync(http, journey.DraftKey, updated);
                return Pages.Redirect($"{journey.Base}/check");
            }));

        web.MapGet(Base + "/check", (Guid providerId, Guid id, HttpContext http, ISender sender, Drafts drafts, NpgsqlDataSource db, TimeProvider clock) =>
            WithJourneyAsync(providerId, id, http, sender, drafts, db, (journey, draft, _) =>
                Task.FromResult(draft.Years is { Count: > 0 } ? journey.Check(http, draft, clock.TodayInLondon()) : Pages.Redirect($"{journey.Base}/academic-years"))));

        web.MapPost(Base + "/check", (Guid providerId, Guid id, HttpContext http, ISender sender, Drafts drafts, NpgsqlDataSource db, TransactionRunner transactions, TimeProvider clock) =>
            WithJourneyAsync(providerId, id, http, sender, drafts, db, async (journey, draft, _) =>
            {
                if (draft.Years is not { Count: > 0 })
                {
                    return Pages.Redirect($"{journey.Base}/academic-years");
                }

                var outcome = await UpdatePartnership.RunAsync(transactions, clock, id,
                    new UpdatePartnership.UpdatePartnershipRequest(draft.StartDate, draft.EndDate, draft.EndDate is null, draft.Years), http.SignedInUser().Actor, http.RequestAborted);
                if (outcome.Succeeded)
                {
                    await drafts.DeleteAsync(http, journey.DraftKey);
                }

                return journey.After(http, outcome, draft, clock.TodayInLondon(), "Partnership updated");
            }));

        web.MapGet(Base + "/delete", (Guid providerId, Guid id, HttpContext http, ISender sender, Drafts drafts, NpgsqlDataSource db) =>
            WithJourneyAsync(providerId, id, http, sender, drafts, db, (journey, draft, _) => Task.FromResult(Pages.Show<ConfirmPage>(http, new ConfirmPage.PageModel(
                $"Confirm you want to delete the partnership with {draft.PartnerName}", $"Delete partnership - {journey.Provider.OperatingName}",
                $"Confirm you want to delete the partnership with {draft.PartnerName}", $"{journey.Base}/delete", "Delete partnership", journey.Tab)
            {
                Paragraphs = ["If the partnership has ended, change its end date instead: deleting it removes it from the register."],
                Warning = "Deleting a partnership is permanent – you cannot undo it.",
            }))));

        web.MapPost(Base + "/delete", (Guid providerId, Guid id, HttpContext http, ISender sender, Drafts drafts, NpgsqlDataSource db, TransactionRunner transactions, TimeProvider clock) =>
            WithJourneyAsync(providerId, id, http, sender, drafts, db, async (journey, _, _) =>
            {
                var outcome = await DeletePartnership.RunAsync(transactions, clock, id, http.SignedInUser().Actor, http.RequestAborted);
                if (outcome.Succeeded)
                {
                    await drafts.DeleteAsync(http, journey.DraftKey);
                }

                return outcome.Succeeded ? Pages.Redirect(journey.Tab, "Partnership deleted") : Pages.Problem(outcome.Error!);
            }));
    }

    /// <summary>The journey of one of the provider's partnerships (404 if it is not one of them), its draft started from the partnership.</summary>
    private static async Task<IResult> WithJourneyAsync(
        Guid providerId, Guid id, HttpContext http, ISender sender, Drafts drafts, NpgsqlDataSource db, Func<PartnershipJourney, PartnershipDraft, ProviderPartnership, Task<IResult>> then)
    {
        var (provider, refusal) = await PartnershipPages.ProviderAsync(sender, providerId, toChange: true, http.RequestAborted);
        if (provider is null)
        {
            return refusal!;
        }

        ProviderPartnership? partnership;
        PartnerProvider? partner;
        await using (var connection = await db.OpenConnectionAsync(http.RequestAborted))
        {
            partnership = await ProviderPartnership.FindAsync(connection, id, null, http.RequestAborted);
            if (partnership is null || (partnership.AccreditedProviderId != providerId && partnership.TrainingPartnerId != providerId))
            {
                return Pages.NotFound();
            }

            var partnerId = partnership.AccreditedProviderId == providerId ? partnership.TrainingPartnerId : partnership.AccreditedProviderId;
            partner = await PartnerProvider.FindAsync(connection, partnerId, null, http.RequestAborted);
        }

        var journey = new PartnershipJourney(provider, $"/providers/{providerId}/partnerships/{id}", provider.OperatingName, $"providers/{providerId}/partnerships/{id}", Adding: false);
        var draft = await drafts.LoadAsync<PartnershipDraft>(http, journey.DraftKey)
            ?? new PartnershipDraft(partner?.Id, partner?.OperatingName ?? "", partnership.StartDate, partnership.EndDate, partnership.AcademicYears);
        return await then(journey, draft, partnership);
    }
}
