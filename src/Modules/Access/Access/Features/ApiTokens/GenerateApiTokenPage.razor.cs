using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.Access.Features.ApiClients;
using Register.Access.Tokens;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Forms;
using Register.Providers.Contracts;

namespace Register.Access.Features.ApiTokens;

/// <summary>
/// "Generate a token": <c>/api-tokens/new</c> (name; expiry date, 6 months ahead unless changed) → saved by
/// <see cref="CreateApiClient.IssueAsync"/> as a <c>trainees_api</c> client of the user's provider, so the two-active limit,
/// the name's uniqueness and the activity item are the support API's. The POST answers with the token, this once (the
/// documented exception to POST-redirect-GET); nothing keeps it. Each form carries a one-time id (kept in the session's
/// draft), so sending it again (reload, back and forward) makes no second token and shows none.
/// </summary>
public sealed partial class GenerateApiTokenPage
{
    private const string Journey = "api-tokens/new";

    /// <summary>The ids of the forms shown and not yet used (a few, for a form open in two tabs).</summary>
    public sealed record Draft(IReadOnlyList<Guid> OpenForms);

    public sealed record PageModel(FormState Form, Guid FormId, string ProviderName, string ExpiryHint);

    [Parameter, EditorRequired] public PageModel Model { get; set; } = default!;

    internal static void Map(RouteGroupBuilder web)
    {
        web.MapGet("/api-tokens/new", async (HttpContext http, Drafts drafts, TimeProvider clock) =>
        {
            var formId = Guid.NewGuid();
            var open = (await drafts.LoadAsync<Draft>(http, Journey))?.OpenForms ?? [];
            await drafts.SaveAsync(http, Journey, new Draft([.. open.TakeLast(4), formId]));
            var today = clock.TodayInLondon();
            var form = FormState.Of(FormState.DateValues("expires_on", ExpiryRule.Default(ApiAudiences.TraineesApi, today)));
            return Pages.Show<GenerateApiTokenPage>(http, new PageModel(form, formId, http.Provider().OperatingName, Hint(today)));
        });

        web.MapPost("/api-tokens/new", async (
            HttpContext http, IFormCollection form, Drafts drafts, TransactionRunner transactions, TokenHasher hasher, TimeProvider clock) =>
        {
            var open = (await drafts.LoadAsync<Draft>(http, Journey))?.OpenForms ?? [];
            if (!Guid.TryParse(form["form_id"], out var formId) || !open.Contains(formId))
            {
                // Sent before (a reload or forward after the token was shown), or a day old: no second token, and the token is never shown again.
                return Pages.Redirect("/api-tokens");
            }

            var reader = new FormReader(form);
            var name = reader.Text("name")?.Trim() ?? "";
            var expiresOn = reader.Date("expires_on", "Expiry date");
            var today = clock.TodayInLondon();
            var errors = reader.Merge(Errors(name, expiresOn, clock));
            IResult Invalid(IReadOnlyList<ApiError> found) =>
                Pages.Invalid<GenerateApiTokenPage>(http, new PageModel(FormState.From(form, found), formId, http.Provider().OperatingName, Hint(today)));
            if (errors.Count > 0)
            {
                return Invalid(errors);
            }

            var providerId = http.SignedInProviderId();
            var issued = await CreateApiClient.IssueAsync(transactions, hasher, clock,
                new CreateApiClient.CreateApiClientRequest(name, ApiAudiences.TraineesApi, providerId, expiresOn), http.SignedInUser().Actor, http.RequestAborted);
            if (issued.Refusal is { } refusal)
            {
                return Invalid([ForPeople(refusal, name, today)]);
            }

            await drafts.SaveAsync(http, Journey, new Draft(open.Where(f => f != formId).ToList()));
            return Pages.Show<ApiTokenCreatedPage>(http, new ApiTokenCreatedPage.PageModel(issued.Client!.Name, issued.Token!, Formats.Date(issued.Client.ExpiresOn)));
        });
    }

    /// <summary>The create rules (<see cref="CreateApiClient.Validator"/>) for a trainee API token, in the page's words; the expiry date is required here.</summary>
    internal static IReadOnlyList<ApiError> Errors(string name, DateOnly? expiresOn, TimeProvider clock)
    {
        var today = clock.TodayInLondon();
        var errors = new CreateApiClient.Validator(clock)
            .Validate(new CreateApiClient.CreateApiClientRequest(name, ApiAudiences.TraineesApi, Guid.Empty, expiresOn)).Errors
            .Where(e => e.PropertyName is "name" or "expires_on")
            .Select(e => ForPeople(new ApiError(e.PropertyName, e.ErrorMessage), name, today, expiresOn))
            .ToList();
        if (expiresOn is null)
        {
            errors.Add(new ApiError("expires_on", "Enter an expiry date"));
        }

        return errors;
    }

    /// <summary>The rules' and <see cref="CreateApiClient.IssueAsync"/>'s messages, as this page says them.</summary>
    internal static ApiError ForPeople(ApiError error, string name, DateOnly today, DateOnly? expiresOn = null) => error.Field switch
    {
        "name" when string.IsNullOrWhiteSpace(name) => error with { Message = "Enter a token name" },
        "name" when error.Message.Contains("too long", StringComparison.Ordinal) => error with { Message = $"Token name must be {CreateApiClient.MaxNameLength} characters or fewer" },
        "name" when error.Message.Contains("taken", StringComparison.Ordinal) => error with { Message = "Token name is already in use. Enter a different name" },
        "name" when error.Message.Contains("control", StringComparison.Ordinal) => error with { Message = "Token name must not contain control characters" },
        "expires_on" when expiresOn < today => error with { Message = "Expiry date must be in the future" },
        "expires_on" => error with
        {
            Message = $"Expiry date must be no more than {ExpiryRule.MaxMonths(ApiAudiences.TraineesApi)} months from today, {Formats.Date(ExpiryRule.Default(ApiAudiences.TraineesApi, today))} at the latest",
        },
        "organisation_id" => new ApiError("", $"Your organisation already has {CreateApiClient.MaxLiveTraineeTokens} active tokens. Revoke a token before generating a new one"),
        _ => error,
    };

    private static string Hint(DateOnly today) =>
        $"A token can last up to {ExpiryRule.MaxMonths(ApiAudiences.TraineesApi)} months. For example, {ExpiryRule.Default(ApiAudiences.TraineesApi, today):d M yyyy}";
}
