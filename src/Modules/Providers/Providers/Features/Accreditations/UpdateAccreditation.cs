using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;
using Register.Providers.Domain;
using Register.Providers.Features.Providers;

namespace Register.Providers.Features.Accreditations;

/// <summary>
/// <c>PATCH /support/providers/{id}/accreditations/{accreditationId}</c>: changes number or dates (given fields
/// only; <c>"open_ended": true</c> clears the end date).
/// </summary>
internal static class UpdateAccreditation
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapPatch("/providers/{providerId:guid}/accreditations/{id:guid}", HandleAsync)
            .WithName("UpdateAccreditation")
            .WithSummary("Change an accreditation")
            .Produces<AddAccreditation.AccreditationEnvelope>()
            .Produces(StatusCodes.Status404NotFound)
            .Produces(StatusCodes.Status409Conflict)
            .ProducesValidationErrors();

    private static async Task<IResult> HandleAsync(
        Guid providerId, Guid id, AddAccreditation.AccreditationRequest request, HttpContext http, TransactionRunner transactions, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await RunAsync(transactions, clock, providerId, id, request, http.Caller().Actor, ct);
        return outcome.ToApiResult(a => TypedResults.Ok(new AddAccreditation.AccreditationEnvelope(AccreditationResponse.From(a))));
    }

    public static Task<Outcome<Accreditation>> RunAsync(
        TransactionRunner transactions, TimeProvider clock, Guid providerId, Guid id, AddAccreditation.AccreditationRequest request, Actor actor, CancellationToken ct) =>
        transactions.RunAsync(ProvidersModule.Schema, async tx =>
        {
            var (provider, before, error) = await EditableProvider.FindWithPartAsync(tx, PartKinds.Accreditations, providerId, id, ct);
            if (provider is null || before is null)
            {
                return (Outcome<Accreditation>)error!;
            }

            var draft = new AccreditationDraft(
                request.Number?.Trim() ?? before.Number, request.StartDate ?? before.StartDate, request.OpenEnded == true ? null : request.EndDate ?? before.EndDate);
            var errors = Validation.Errors(AccreditationDraftValidator.For(provider.ProviderType), draft).ToList();
            if (errors.Count > 0)
            {
                return ApiErrors.Unprocessable(errors);
            }

            var now = clock.UtcNowForDatabase();
            var updated = await PartStore.UpdateAccreditationAsync(tx, before, draft, actor, now, ct);
            await ProviderStore.SyncAccreditationStatusAsync(tx, provider.Id, clock.TodayInLondon(), now, ct);
            return updated;
        }, ct);
}
