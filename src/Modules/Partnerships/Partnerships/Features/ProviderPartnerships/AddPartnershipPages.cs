using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Components;
using Register.BuildingBlocks.Web.Forms;
using Register.Partnerships.Domain;
using Step = Register.Partnerships.Features.ProviderPartnerships.PartnershipStepPage.PartnershipStep;

namespace Register.Partnerships.Features.ProviderPartnerships;

/// <summary>
/// "Add partnership" from a provider's tab: find the partner (<c>/providers/{id}/partnerships/new</c>: an accessible
/// autocomplete over <c>…/new/partners?q=</c>, or without JavaScript a search whose matches the next page lists) → dates →
/// academic years → check → saved by <see cref="CreatePartnership"/> ("Partnership added"). The provider's own status fixes
/// the roles: an accredited provider adds training partners, any other adds accredited providers.
/// </summary>
internal static class AddPartnershipPages
{
    public static void Map(RouteGroupBuilder web)
    {
        const string Base = "/providers/{providerId:guid}/partnerships/new";

        web.MapGet(Base, (Guid providerId, HttpContext http, ISender sender, Drafts drafts) => WithJourneyAsync(providerId, http, sender, drafts, (journey, draft) =>
            // The partner's name only: the hidden id is set again by choosing, so typing another name cannot keep the old partner.
            Pages.Show<PartnershipStepPage>(http, journey.Model(Step.Find, FormState.Of([new("partner", draft.PartnerName)]), journey.Tab, change: PartnershipJourney.IsChange(http)))));

        web.MapPost(Base, (Guid providerId, HttpContext http, IFormCollection form, ISender sender, Drafts drafts, NpgsqlDataSource db) => WithJourneyAsync(providerId, http, sender, drafts, async (journey, draft) =>
        {
            var text = form["partner"].ToString().Trim();
            PartnerProvider? chosen = null;
            if (Guid.TryParse(form["partner_id"], out var partnerId))
            {
                await using var connection = await db.OpenConnectionAsync(http.RequestAborted);
                chosen = await PartnerProvider.FindAsync(connection, partnerId, null, http.RequestAborted) is { } p && PartnershipPages.Eligible(journey.Provider, p) ? p : null;
            }

            if (chosen is null && form["choosing"] == "true")
            {
                var again = (await sender.Send(PartnershipPages.Search(journey.Provider, text), http.RequestAborted)).Where(m => m.Id != providerId).ToList();
                return Pages.Invalid<PartnershipStepPage>(http, journey.Model(Step.Choose,
                    FormState.Of([new("partner", text)]).WithErrors([new ApiError("partner_id", $"Select the {journey.PartnerKind}")]),
                    $"{journey.Base}{(PartnershipJourney.IsChange(http) ? "?change=true" : "")}",
                    matches: again.Select(m => new Choice(m.Id.ToString(), m.OperatingName, PartnershipPages.Hint(m))).ToList(), change: PartnershipJourney.IsChange(http)));
            }

            if (chosen is null)
            {
                if (text.Length == 0)
                {
                    return Pages.Invalid<PartnershipStepPage>(http, journey.Model(Step.Find,
                        FormState.From(form, [new ApiError("partner", $"Enter {journey.PartnerKind} name, code, UKPRN or URN")]), journey.Tab, change: PartnershipJourney.IsChange(http)));
                }

                var matches = (await sender.Send(PartnershipPages.Search(journey.Provider, text), http.RequestAborted)).Where(m => m.Id != providerId).ToList();
                if (matches.Count == 0)
                {
                    return Pages.Invalid<PartnershipStepPage>(http, journey.Model(Step.Find,
                        FormState.From(form, [new ApiError("partner", $"No {journey.PartnerKind} matches ‘{text}’: check the name, code, UKPRN or URN")]), journey.Tab, change: PartnershipJourney.IsChange(http)));
                }

                if (matches.Count > 1)
                {
                    return Pages.Show<PartnershipStepPage>(http, journey.Model(Step.Choose, FormState.Of([new("partner", text)]),
                        $"{journey.Base}{(PartnershipJourney.IsChange(http) ? "?change=true" : "")}",
                        matches: matches.Select(m => new Choice(m.Id.ToString(), m.OperatingName, PartnershipPages.Hint(m))).ToList(), change: PartnershipJourney.IsChange(http)));
                }

                await using var connection = await db.OpenConnectionAsync(http.RequestAborted);
                chosen = await PartnerProvider.FindAsync(connection, matches[0].Id, null, http.RequestAborted);
                if (chosen is null || !PartnershipPages.Eligible(journey.Provider, chosen))
                {
                    return Pages.Invalid<PartnershipStepPage>(http, journey.Model(Step.Find,
                        FormState.From(form, [new ApiError("partner", $"Enter {journey.PartnerKind} name, code, UKPRN or URN")]), journey.Tab));
                }
            }

            await drafts.SaveAsync(http, journey.DraftKey, draft with { PartnerId = chosen.Id, PartnerName = chosen.OperatingName });
            return Pages.Redirect(draft.StartDate is null ? $"{journey.Base}/dates" : journey.Next(http, Step.Dates));
        }));

        web.MapGet(Base + "/partners", async (Guid providerId, string? q, HttpContext http, ISender sender) =>
        {
            var (provider, _) = await PartnershipPages.ProviderAsync(sender, providerId, toChange: false, http.RequestAborted);
            if (provider is null || string.IsNullOrWhiteSpace(q))
            {
                return Results.Json(Array.Empty<object>());
            }

            var matches = await sender.Send(PartnershipPages.Search(provider, q), http.RequestAborted);
            return Results.Json(matches.Where(m => m.Id != providerId).Select(m => new { id = m.Id, name = m.OperatingName, hint = PartnershipPages.Hint(m) }));
        });

        web.MapGet(Base + "/dates", (Guid providerId, HttpContext http, ISender sender, Drafts drafts) => WithJourneyAsync(providerId, http, sender, drafts, (journey, draft) =>
            draft.PartnerId is null ? Pages.Redirect(journey.Base) : journey.Dates(http, draft, journey.Base)));

        web.MapPost(Base + "/dates", (Guid providerId, HttpContext http, IFormCollection form, ISender sender, Drafts drafts, TimeProvider clock) => WithJourneyAsync(providerId, http, sender, drafts, async (journey, draft) =>
        {
            var (updated, invalid) = journey.ReadDates(http, form, draft, journey.Base, clock.TodayInLondon());
            if (updated is null)
            {
                return invalid!;
            }

            await drafts.SaveAsync(http, journey.DraftKey, updated);
            return Pages.Redirect(updated.Years is { Count: > 0 } ? journey.Next(http, Step.Years) : $"{journey.Base}/academic-years");
        }));

        web.MapGet(Base + "/academic-years", (Guid providerId, HttpContext http, ISender sender, Drafts drafts, TimeProvider clock) => WithJourneyAsync(providerId, http, sender, drafts, (journey, draft) =>
            draft.PartnerId is null ? Pages.Redirect(journey.Base) : draft.StartDate is null ? Pages.Redirect($"{journey.Base}/dates") : journey.Years(http, draft, clock.TodayInLondon())));

        web.MapPost(Base + "/academic-years", (Guid providerId, HttpContext http, IFormCollection form, ISender sender, Drafts drafts, TimeProvider clock) => WithJourneyAsync(providerId, http, sender, drafts, async (journey, draft) =>
        {
            if (draft.StartDate is null)
            {
                return Pages.Redirect($"{journey.Base}/dates");
            }

            var (updated, invalid) = journey.ReadYears(http, form, draft, clock.TodayInLondon());
            if (updated is null)
            {
                return invalid!;
            }

            await drafts.SaveAsync(http, journey.DraftKey, updated);
            return Pages.Redirect($"{journey.Base}/check");
        }));

        web.MapGet(Base + "/check", (Guid providerId, HttpContext http, ISender sender, Drafts drafts, TimeProvider clock) => WithJourneyAsync(providerId, http, sender, drafts, (journey, draft) =>
            draft is { PartnerId: not null, StartDate: not null, Years.Count: > 0 } ? journey.Check(http, draft, clock.TodayInLondon()) : Pages.Redirect(journey.Base)));

        web.MapPost(Base + "/check", (Guid providerId, HttpContext http, ISender sender, Drafts drafts, TransactionRunner transactions, TimeProvider clock) => WithJourneyAsync(providerId, http, sender, drafts, async (journey, draft) =>
        {
            if (draft is not { PartnerId: { } partner, StartDate: not null, Years.Count: > 0 })
            {
                return Pages.Redirect(journey.Base);
            }

            var accredited = PartnershipPages.IsAccredited(journey.Provider);
            var outcome = await CreatePartnership.RunAsync(transactions, clock, new CreatePartnership.CreatePartnershipRequest(
                accredited ? providerId : partner, accredited ? partner : providerId, draft.StartDate, draft.EndDate, draft.Years), http.SignedInUser().Actor, http.RequestAborted);
            if (outcome.Succeeded)
            {
                await drafts.DeleteAsync(http, journey.DraftKey);
            }

            return journey.After(http, outcome, draft, clock.TodayInLondon(), "Partnership added");
        }));
    }

    private static Task<IResult> WithJourneyAsync(Guid providerId, HttpContext http, ISender sender, Drafts drafts, Func<PartnershipJourney, PartnershipDraft, IResult> then) =>
        WithJourneyAsync(providerId, http, sender, drafts, (journey, draft) => Task.FromResult(then(journey, draft)));

    private static async Task<IResult> WithJourneyAsync(Guid providerId, HttpContext http, ISender sender, Drafts drafts, Func<PartnershipJourney, PartnershipDraft, Task<IResult>> then)
    {
        var (provider, refusal) = await PartnershipPages.ProviderAsync(sender, providerId, toChange: true, http.RequestAborted);
        if (provider is null)
        {
            return refusal!;
        }

        var journey = new PartnershipJourney(provider, $"/providers/{providerId}/partnerships/new", $"Add partnership - {provider.OperatingName}", $"providers/{providerId}/partnerships/new", Adding: true);
        return await then(journey, await drafts.LoadAsync<PartnershipDraft>(http, journey.DraftKey) ?? new PartnershipDraft(null, null, null, null, null));
    }
}
