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
using Register.Providers.Domain;
using Register.Providers.Features.Accreditations;
using Register.Providers.Features.Addresses;

namespace Register.Providers.Features.Providers;

/// <summary>
/// "Add provider", as the reference asks it: onboarding date → first active → accredited? → type → details →
/// accreditation (accredited providers) → address (entered whole) → check answers → saved by <see cref="CreateProvider"/>
/// with its accreditation and address in one transaction ("Provider added"). The answers wait in a server-side draft;
/// a Change link from the check page (<c>?change=true</c>) comes back to it.
/// </summary>
public sealed partial class AddProviderPage
{
    public enum AddProviderStep
    {
        Onboarding,
        FirstActive,
        Accredited,
        Type,
        Details,
        Accreditation,
        Address,
    }

    private const string Journey = "providers/new";

    /// <summary>The answers so far.</summary>
    internal sealed record Answers
    {
        public string? Onboarded { get; init; }

        public DateOnly? OnboardedOn { get; init; }

        public string? FirstActive { get; init; }

        public DateOnly? FirstActiveOn { get; init; }

        public bool? Accredited { get; init; }

        public string? ProviderType { get; init; }

        public ProviderDetails? Details { get; init; }

        public AccreditationAnswers? Accreditation { get; init; }

        public AddressAnswers? Address { get; init; }
    }

    public sealed record PageModel(
        AddProviderStep Step, FormState Form, string Action, string BackLink, string? OnboardedOn, bool Accredited, string? ProviderType, bool UrnRequired);

    [Parameter, EditorRequired] public PageModel Model { get; set; } = default!;

    private static readonly (AddProviderStep Step, string Path)[] Steps =
    [
        (AddProviderStep.Onboarding, "/providers/new"),
        (AddProviderStep.FirstActive, "/providers/new/first-active"),
        (AddProviderStep.Accredited, "/providers/new/accredited"),
        (AddProviderStep.Type, "/providers/new/type"),
        (AddProviderStep.Details, "/providers/new/details"),
        (AddProviderStep.Accreditation, "/providers/new/accreditation"),
        (AddProviderStep.Address, "/providers/new/address"),
    ];

    private const string CheckPath = "/providers/new/check";

    internal static void Map(RouteGroupBuilder web)
    {
        foreach (var (step, path) in Steps)
        {
            web.MapGet(path, async (HttpContext http, Drafts drafts, TimeProvider clock) =>
            {
                var answers = await drafts.LoadAsync<Answers>(http, Journey) ?? new Answers();
                return FirstMissing(answers) is { } missing && missing < step
                    ? Pages.Redirect(PathOf(missing))
                    : Show(http, step, answers, Values(step, answers), clock);
            });
            web.MapPost(path, async (HttpContext http, IFormCollection form, Drafts drafts, NpgsqlDataSource db, TimeProvider clock) =>
            {
                var answers = await drafts.LoadAsync<Answers>(http, Journey) ?? new Answers();
                var (updated, errors) = await AnswerAsync(step, answers, new FormReader(form), db, clock, http.RequestAborted);
                if (errors.Count > 0)
                {
                    return Pages.Invalid<AddProviderPage>(http, ModelOf(http, step, answers, FormState.From(form, errors), clock));
                }

                await drafts.SaveAsync(http, Journey, updated);
                var next = FirstMissing(updated);
                return Pages.Redirect(next is null ? CheckPath
                    : http.Request.Query["change"] == "true" && next <= step ? CheckPath
                    : PathOf(next.Value) + (http.Request.Query["change"] == "true" ? "?change=true" : ""));
            });
        }

        web.MapGet(CheckPath, async (HttpContext http, Drafts drafts, TimeProvider clock) =>
        {
            var answers = await drafts.LoadAsync<Answers>(http, Journey) ?? new Answers();
            return FirstMissing(answers) is { } missing ? Pages.Redirect(PathOf(missing)) : Check(http, answers);
        });

        web.MapPost(CheckPath, async (HttpContext http, Drafts drafts, TransactionRunner transactions, TimeProvider clock) =>
        {
            var answers = await drafts.LoadAsync<Answers>(http, Journey) ?? new Answers();
            if (FirstMissing(answers) is { } missing)
            {
                return Pages.Redirect(PathOf(missing));
            }

            var outcome = await CreateProvider.RunAsync(transactions, clock, ToDraft(answers), [], answers.Accredited == true ? answers.Accreditation!.ToDraft() : null,
                answers.Address!.ToDraft(), http.SignedInUser().Actor, http.RequestAborted);
            return await drafts.FinishAsync(http, Journey, outcome,
                errors => Check(http, answers, errors),
                provider => Pages.Redirect("/providers", new Flash("Provider added", $"{provider.OperatingName} ({provider.RotpId}) is in the register.")));
        });
    }

    private static string PathOf(AddProviderStep step) => Steps.First(s => s.Step == step).Path;

    /// <summary>
    /// The first step still to answer, or whose answer the rules no longer accept after an earlier one changed (a type that
    /// needs a URN the details lack, an accreditation number of another type's form), or null when the journey can be checked.
    /// </summary>
    private static AddProviderStep? FirstMissing(Answers a) =>
        a.Onboarded is null ? AddProviderStep.Onboarding
        : a.FirstActive is null ? AddProviderStep.FirstActive
        : a.Accredited is null ? AddProviderStep.Accredited
        : a.ProviderType is null || !ProviderTypes.Allows(a.ProviderType, Status(a)) ? AddProviderStep.Type
        : a.Details is null || Validation.Errors(ProviderDraftValidator.Instance, ToDraft(a)).Any(e => ProviderDetails.Fields.Contains(e.Field)) ? AddProviderStep.Details
        : a.Accredited == true && (a.Accreditation is null || Validation.Errors(AccreditationDraftValidator.For(a.ProviderType), a.Accreditation.ToDraft()).Any())
            ? AddProviderStep.Accreditation
        : a.Address is null ? AddProviderStep.Address
        : null;

    /// <summary>The first active date: the onboarding date when the answer was "same as onboarded", whatever it is now.</summary>
    private static DateOnly? FirstActiveOn(Answers a) => a.FirstActive == "same" ? a.OnboardedOn : a.FirstActiveOn;

    private static string Status(Answers a) => a.Accredited == true ? ProviderTypes.Accredited : ProviderTypes.Unaccredited;

    private static ProviderDraft ToDraft(Answers a)
    {
        var draft = new ProviderDraft(null, null, a.ProviderType, Status(a), null, null, null, a.OnboardedOn, FirstActiveOn(a), []);
        return a.Details is null ? draft : a.Details.ApplyTo(draft);
    }

    /// <summary>Reads one step's answers and checks them with the rules that step's fields belong to.</summary>
    private static async Task<(Answers Answers, IReadOnlyList<ApiError> Errors)> AnswerAsync(
        AddProviderStep step, Answers a, FormReader form, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        var today = clock.TodayInLondon();
        switch (step)
        {
            case AddProviderStep.Onboarding:
                var onboarded = form.Text("onboarded");
                var on = onboarded switch
                {
                    "today" => today,
                    "yesterday" => today.AddDays(-1),
                    "other" => form.Date("onboarded_on", "Onboarded date"),
                    _ => null,
                };
                var onboardingErrors = onboarded switch
                {
                    null or "" => [new ApiError("onboarded", "Select when the provider was onboarded")],
                    "other" when on is null => form.Merge([new ApiError("onboarded_on", "Enter onboarded date")]),
                    "today" or "yesterday" or "other" => form.Merge(Validation.Errors(ProviderDraftValidator.Instance, ToDraft(a with { OnboardedOn = on })).Where(e => e.Field == "onboarded_on")),
                    _ => [new ApiError("onboarded", "Select when the provider was onboarded")],
                };
                return (a with { Onboarded = onboarded, OnboardedOn = on }, onboardingErrors);

            case AddProviderStep.FirstActive:
                var firstActive = form.Text("first_active");
                var first = firstActive == "same" ? a.OnboardedOn : firstActive == "other" ? form.Date("first_active_on", "First active date") : null;
                IReadOnlyList<ApiError> firstErrors = firstActive switch
                {
                    "same" => [],
                    "other" when first is null => form.Merge([new ApiError("first_active_on", "Enter first active date")]),
                    "other" => form.Merge(Validation.Errors(ProviderDraftValidator.Instance, ToDraft(a with { FirstActiveOn = first })).Where(e => e.Field == "first_active_on")),
                    _ => [new ApiError("first_active", "Select when the provider first became active")],
                };
                return (a with { FirstActive = firstActive, FirstActiveOn = first }, firstErrors);

            case AddProviderStep.Accredited:
                var accredited = form.Text("accredited") switch { "yes" => true, "no" => (bool?)false, _ => null };
                return (a with { Accredited = accredited }, accredited is null ? [new ApiError("accredited", "Select if the provider is accredited")] : []);

            case AddProviderStep.Type:
                var type = form.Text("provider_type");
                IReadOnlyList<ApiError> typeErrors = string.IsNullOrEmpty(type) || !ProviderTypes.All.Contains(type) ? [new ApiError("provider_type", "Select provider type")]
                    : !ProviderTypes.Allows(type, Status(a)) ? [new ApiError("provider_type", type == ProviderTypes.School ? "School cannot be accredited" : "School-centred initial teacher training (SCITT) must be accredited")]
                    : [];
                return (a with { ProviderType = type }, typeErrors);

            case AddProviderStep.Details:
                var details = ProviderDetails.Read(form.Form);
                var draft = details.ApplyTo(ToDraft(a));
                var detailErrors = await ProviderDetails.ErrorsAsync(db, draft, null, ct);
                return (a with { Details = new ProviderDetails(draft.OperatingName, draft.LegalName, draft.Ukprn, draft.Urn, draft.Code) }, detailErrors);

            case AddProviderStep.Accreditation:
                var (accreditation, accreditationErrors) = AccreditationAnswers.Read(form, a.ProviderType);
                return (a with { Accreditation = accreditation }, accreditationErrors);

            default:
                var (address, addressErrors) = AddressAnswers.Read(form);
                return (a with { Address = address }, addressErrors);
        }
    }

    private static IEnumerable<KeyValuePair<string, string?>> Values(AddProviderStep step, Answers a) => step switch
    {
        AddProviderStep.Onboarding => [new("onboarded", a.Onboarded), .. a.Onboarded == "other" ? FormState.DateValues("onboarded_on", a.OnboardedOn) : []],
        AddProviderStep.FirstActive => [new("first_active", a.FirstActive), .. a.FirstActive == "other" ? FormState.DateValues("first_active_on", a.FirstActiveOn) : []],
        AddProviderStep.Accredited => [new("accredited", a.Accredited switch { true => "yes", false => "no", _ => null })],
        AddProviderStep.Type => [new("provider_type", a.ProviderType)],
        AddProviderStep.Details => a.Details?.Values() ?? [],
        AddProviderStep.Accreditation => a.Accreditation?.Values() ?? [],
        _ => a.Address?.Values() ?? [],
    };

    private static IResult Show(HttpContext http, AddProviderStep step, Answers answers, IEnumerable<KeyValuePair<string, string?>> values, TimeProvider clock) =>
        Pages.Show<AddProviderPage>(http, ModelOf(http, step, answers, FormState.Of(values), clock));

    private static PageModel ModelOf(HttpContext http, AddProviderStep step, Answers a, FormState form, TimeProvider clock)
    {
        var change = http.Request.Query["change"] == "true";
        var index = Array.FindIndex(Steps, s => s.Step == step);
        var previous = index == 0 ? "/providers"
            : step == AddProviderStep.Address && a.Accredited != true ? PathOf(AddProviderStep.Details)
            : Steps[index - 1].Path;
        return new PageModel(step, form, PathOf(step) + (change ? "?change=true" : ""), change ? CheckPath : previous,
            Formats.Date(a.OnboardedOn), a.Accredited == true, a.ProviderType, ProviderTypes.NeedsUrn(a.ProviderType));
    }

    private static IResult Check(HttpContext http, Answers a, IReadOnlyList<ApiError>? errors = null)
    {
        string Change(AddProviderStep step) => PathOf(step) + "?change=true";
        var sections = new List<AnswerSection>
        {
            new(null,
            [
                new AnswerRow("Onboard at", Formats.Date(a.OnboardedOn), Change(AddProviderStep.Onboarding), "onboarded date"),
                new AnswerRow("First active at", Formats.Date(FirstActiveOn(a)), Change(AddProviderStep.FirstActive), "first active date"),
                new AnswerRow("Is the provider accredited?", a.Accredited == true ? "Yes" : "No", Change(AddProviderStep.Accredited), "if the provider is accredited"),
                new AnswerRow("Provider type", ProviderLabels.Type(a.ProviderType!), Change(AddProviderStep.Type)),
                .. a.Details!.Rows(Change(AddProviderStep.Details)),
            ]),
        };
        if (a.Accredited == true)
        {
            sections.Add(new AnswerSection("Accreditation", a.Accreditation!.Rows(Change(AddProviderStep.Accreditation))));
        }

        sections.Add(new AnswerSection("Address", a.Address!.Rows(Change(AddProviderStep.Address))));
        return CheckAnswersPage.Show(http, new CheckAnswersPage.PageModel(
            "Add provider", "Add provider", sections, CheckPath, "Save provider", "/providers", PathOf(AddProviderStep.Address))
        {
            Errors = errors,
            StepOf = field => Change(field switch
            {
                "onboarded_on" => AddProviderStep.Onboarding,
                "first_active_on" => AddProviderStep.FirstActive,
                "provider_type" or "accreditation_status" => AddProviderStep.Type,
                _ when field.StartsWith("accreditation.", StringComparison.Ordinal) => AddProviderStep.Accreditation,
                _ when field.StartsWith("address.", StringComparison.Ordinal) => AddProviderStep.Address,
                _ => AddProviderStep.Details,
            }),
        });
    }
}
