using Microsoft.AspNetCore.Http;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Components;
using Register.BuildingBlocks.Web.Forms;
using Register.BuildingBlocks.Web.Layout;
using Register.Partnerships.Domain;
using Register.Providers.Contracts;
using Step = Register.Partnerships.Features.ProviderPartnerships.PartnershipStepPage.PartnershipStep;

namespace Register.Partnerships.Features.ProviderPartnerships;

/// <summary>The answers of adding or changing a partnership, kept between its steps.</summary>
internal sealed record PartnershipDraft(Guid? PartnerId, string? PartnerName, DateOnly? StartDate, DateOnly? EndDate, IReadOnlyList<int>? Years);

/// <summary>
/// The steps adding and changing a partnership share: the dates (checked by <see cref="PartnershipTerms"/>; changing them
/// clears years that no longer fit) and the academic years (those the dates overlap; none is the "No academic years
/// match" page), and the check page.
/// </summary>
internal sealed record PartnershipJourney(ProviderHeading Provider, string Base, string Caption, string DraftKey, bool Adding)
{
    public string Tab => $"/providers/{Provider.Id}/partnerships";

    public string PartnerKind => PartnershipPages.PartnerKind(Provider);

    public PartnershipStepPage.PageModel Model(Step step, FormState form, string backLink, IReadOnlyList<Choice>? matches = null, IReadOnlyList<Choice>? years = null, bool change = false) =>
        new(step, Caption, PartnerKind, form, $"{Base}{Path(step)}{(change ? "?change=true" : "")}", change ? $"{Base}/check" : backLink, Tab,
            $"{Tab}/new/partners", matches ?? [], years ?? []);

    public static string Path(Step step) => step switch
    {
        Step.Find or Step.Choose => "",
        Step.Dates => "/dates",
        _ => "/academic-years",
    };

    public IResult Dates(HttpContext http, PartnershipDraft draft, string backLink) =>
        Pages.Show<PartnershipStepPage>(http, Model(Step.Dates,
            FormState.Of([.. FormState.DateValues("start_date", draft.StartDate), .. FormState.DateValues("end_date", draft.EndDate)]), backLink, change: IsChange(http)));

    /// <summary>Reads the dates; on errors, the page again (422); else the draft with them, keeping only years they still overlap.</summary>
    public (PartnershipDraft? Draft, IResult? Invalid) ReadDates(HttpContext http, IFormCollection form, PartnershipDraft draft, string backLink, DateOnly today)
    {
        var reader = new FormReader(form);
        var start = reader.Date("start_date", "Partnership start date");
        var end = reader.Date("end_date", "Partnership end date");
        var errors = reader.Merge(new PartnershipTerms(start, end, [0]).Errors().Where(e => e.Field is "start_date" or "end_date"));
        if (errors.Count > 0)
        {
            return (null, Pages.Invalid<PartnershipStepPage>(http, Model(Step.Dates, FormState.From(form, errors), backLink, change: IsChange(http))));
        }

        var options = PartnershipPages.YearOptions(start!.Value, end, today);
        return (draft with { StartDate = start, EndDate = end, Years = draft.Years?.Where(options.Contains).ToList() }, null);
    }

    public IResult Years(HttpContext http, PartnershipDraft draft, DateOnly today, IReadOnlyList<ApiError>? errors = null, FormState? form = null)
    {
        var options = PartnershipPages.YearOptions(draft.StartDate!.Value, draft.EndDate, today);
        if (options.Count == 0)
        {
            return Pages.Show<PartnershipStopPage>(http, new PartnershipStopPage.PageModel(
                Caption, "No academic years match your partnership dates",
                ["Academic years run from 1 August to 31 July. A partnership without an end date can be recorded for academic years up to next year."],
                $"{Base}/dates", Tab));
        }

        var state = form ?? FormState.Of([], [new("academic_years", (draft.Years ?? []).Select(y => y.ToString(System.Globalization.CultureInfo.InvariantCulture)))]);
        var model = Model(Step.Years, errors is null ? state : state.WithErrors(errors), $"{Base}/dates", years: PartnershipPages.YearChoices(options, today), change: IsChange(http));
        return errors is null ? Pages.Show<PartnershipStepPage>(http, model) : Pages.Invalid<PartnershipStepPage>(http, model);
    }

    public (PartnershipDraft? Draft, IResult? Invalid) ReadYears(HttpContext http, IFormCollection form, PartnershipDraft draft, DateOnly today)
    {
        var years = form["academic_years"].Select(y => int.TryParse(y, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0)
            .Where(PartnershipPages.YearOptions(draft.StartDate!.Value, draft.EndDate, today).Contains).Distinct().ToList();
        var errors = new PartnershipTerms(draft.StartDate, draft.EndDate, years).Errors().Where(e => e.Field == "academic_years").ToList();
        return errors.Count > 0 ? (null, Years(http, draft, today, errors, FormState.From(form))) : (draft with { Years = years }, null);
    }

    public IResult Check(HttpContext http, PartnershipDraft draft, DateOnly today, IReadOnlyList<ApiError>? errors = null)
    {
        var accredited = PartnershipPages.IsAccredited(Provider);
        var rows = PartnershipPages.Rows(
            accredited ? Provider.OperatingName : draft.PartnerName!, accredited ? draft.PartnerName! : Provider.OperatingName,
            draft.StartDate!.Value, draft.EndDate, draft.Years!, today,
            Adding ? $"{Base}?change=true" : null, $"{Base}/dates?change=true", $"{Base}/academic-years?change=true", accreditedIsPartner: !accredited);
        return CheckAnswersPage.Show(http, new CheckAnswersPage.PageModel(
            Caption, Caption, [new AnswerSection(null, rows)], $"{Base}/check", "Save partnership", Tab, $"{Base}/academic-years")
        {
            Errors = errors,
            StepOf = field => field switch
            {
                "start_date" or "end_date" => $"{Base}/dates?change=true",
                "academic_years" => $"{Base}/academic-years?change=true",
                _ => Adding ? $"{Base}?change=true" : Tab,
            },
        });
    }

    /// <summary>After saving: the tab with the flash; the "already exists" page for overlapping dates; the check page with errors; or the refusal's page.</summary>
    public IResult After<T>(HttpContext http, Outcome<T> outcome, PartnershipDraft draft, DateOnly today, string flash)
    {
        if (outcome.Error is { StatusCode: StatusCodes.Status409Conflict } conflict && conflict.Errors[0].Message == ArchivedPartners.Overlap)
        {
            return Pages.Show<PartnershipStopPage>(http, new PartnershipStopPage.PageModel(
                Caption, "This partnership already exists",
                [$"{Provider.OperatingName} and {draft.PartnerName} already have a partnership whose dates overlap these.",
                 "Two partnerships between the same providers are possible only for separate periods: change the dates, or change the existing partnership."],
                $"{Base}/dates", Tab), StatusCodes.Status409Conflict);
        }

        if (outcome.IsInvalid)
        {
            return Check(http, draft, today, outcome.Errors);
        }

        return outcome.Succeeded ? Pages.Redirect(Tab, flash) : Pages.Problem(outcome.Error!);
    }

    public static bool IsChange(HttpContext http) => http.Request.Query["change"] == "true";

    /// <summary>Where to go once a step is answered: the check page when changing an answer from it, else the next step.</summary>
    public string Next(HttpContext http, Step next) => IsChange(http) ? $"{Base}/check" : Base + Path(next);
}
