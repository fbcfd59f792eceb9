using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Forms;
using Register.BuildingBlocks.Web.Layout;
using Register.Providers.Domain;

namespace Register.Providers.Features.Providers;

/// <summary>
/// "Change provider details": <c>/providers/{id}/edit</c> → <c>/providers/{id}/check</c> → saved by <see cref="UpdateProvider"/>.
/// Type and status are not changed here (the status follows the accreditations); archived providers are read-only (409).
/// </summary>
public sealed partial class EditProviderPage
{
    public sealed record PageModel(Guid Id, string Name, bool UrnRequired, FormState Form);

    [Parameter, EditorRequired] public PageModel Model { get; set; } = default!;

    private static string Journey(Guid id) => $"providers/{id}/edit";

    internal static void Map(RouteGroupBuilder web)
    {
        web.MapGet("/providers/{id:guid}/edit", async (Guid id, HttpContext http, NpgsqlDataSource db, Drafts drafts) =>
        {
            var (provider, refusal) = await EditableAsync(db, id, http);
            if (provider is null)
            {
                return refusal!;
            }

            // A Change link from the check page comes back to the answers; anything else starts from the provider as it is.
            var details = (http.Request.Query["change"] == "true" ? await drafts.LoadAsync<ProviderDetails>(http, Journey(id)) : null)
                ?? new ProviderDetails(provider.OperatingName, provider.LegalName, provider.Ukprn, provider.Urn, provider.Code);
            return Pages.Show<EditProviderPage>(http, new PageModel(id, provider.OperatingName, ProviderTypes.NeedsUrn(provider.ProviderType), FormState.Of(details.Values())));
        });

        web.MapPost("/providers/{id:guid}/edit", async (Guid id, HttpContext http, IFormCollection form, NpgsqlDataSource db, Drafts drafts) =>
        {
            var (provider, refusal) = await EditableAsync(db, id, http);
            if (provider is null)
            {
                return refusal!;
            }

            var details = ProviderDetails.Read(form);
            var draft = details.ApplyTo(Draft(provider));
            var errors = await ProviderDetails.ErrorsAsync(db, draft, id, http.RequestAborted);
            if (errors.Count > 0)
            {
                return Pages.Invalid<EditProviderPage>(http, new PageModel(id, provider.OperatingName, ProviderTypes.NeedsUrn(provider.ProviderType), FormState.From(form, errors)));
            }

            await drafts.SaveAsync(http, Journey(id), new ProviderDetails(draft.OperatingName, draft.LegalName, draft.Ukprn, draft.Urn, draft.Code));
            return Pages.Redirect($"/providers/{id}/check");
        });

        web.MapGet("/providers/{id:guid}/check", async (Guid id, HttpContext http, NpgsqlDataSource db, Drafts drafts) =>
        {
            var (provider, refusal) = await EditableAsync(db, id, http);
            return provider is null ? refusal!
                : await drafts.LoadAsync<ProviderDetails>(http, Journey(id)) is { } details ? Check(http, provider, details)
                : Pages.Redirect($"/providers/{id}/edit");
        });

        web.MapPost("/providers/{id:guid}/check", async (Guid id, HttpContext http, NpgsqlDataSource db, Drafts drafts, TransactionRunner transactions, TimeProvider clock) =>
        {
            if (await drafts.LoadAsync<ProviderDetails>(http, Journey(id)) is not { } details)
            {
                return Pages.Redirect($"/providers/{id}/edit");
            }

            var outcome = await UpdateProvider.RunAsync(transactions, clock, id,
                new UpdateProvider.UpdateProviderRequest(details.OperatingName, details.LegalName ?? "", details.Code, details.Ukprn, details.Urn ?? "", null, null, null),
                http.SignedInUser().Actor, http.RequestAborted);
            return await drafts.FinishAsync(http, Journey(id), outcome,
                async errors =>
                {
                    var (provider, refusal) = await EditableAsync(db, id, http);
                    return provider is null ? refusal! : Check(http, provider, details, errors);
                },
                _ => Pages.Redirect($"/providers/{id}", "Provider updated"));
        });
    }

    internal static ProviderDraft Draft(Provider p) => new(
        p.OperatingName, p.LegalName, p.ProviderType, p.AccreditationStatus, p.Code, p.Ukprn, p.Urn, p.OnboardedOn, p.FirstActiveOn, p.InactivePeriods);

    /// <summary>The provider if it can be changed: the 404 page if it is gone, the 409 page if it is archived.</summary>
    internal static async Task<(Provider? Provider, IResult? Refusal)> EditableAsync(NpgsqlDataSource db, Guid id, HttpContext http)
    {
        await using var connection = await db.OpenConnectionAsync(http.RequestAborted);
        var provider = await Provider.FindAsync(connection, id, null, http.RequestAborted);
        return provider switch
        {
            null => (null, Pages.NotFound()),
            { IsArchived: true } => (null, Pages.Problem(StatusCodes.Status409Conflict, "The provider is archived, so it cannot be changed: restore it first.")),
            _ => (provider, null),
        };
    }

    private static IResult Check(HttpContext http, Provider provider, ProviderDetails details, IReadOnlyList<ApiError>? errors = null) =>
        CheckAnswersPage.Show(http, new CheckAnswersPage.PageModel(
            provider.OperatingName, provider.OperatingName,
            [new AnswerSection(null, [new AnswerRow("Provider type", ProviderLabels.Type(provider.ProviderType)), .. details.Rows($"/providers/{provider.Id}/edit?change=true")])],
            $"/providers/{provider.Id}/check", "Save provider", $"/providers/{provider.Id}", $"/providers/{provider.Id}/edit")
        {
            Errors = errors,
            StepOf = _ => $"/providers/{provider.Id}/edit?change=true",
        });
}
