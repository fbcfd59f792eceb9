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

namespace Register.Providers.Features.Contacts;

/// <summary><c>PATCH /support/providers/{id}/contacts/{contactId}</c>: changes the fields given (a blank telephone number clears it).</summary>
internal static class UpdateContact
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapPatch("/providers/{providerId:guid}/contacts/{id:guid}", HandleAsync)
            .WithName("UpdateContact")
            .WithSummary("Change a contact")
            .Produces<AddContact.ContactEnvelope>()
            .Produces(StatusCodes.Status404NotFound)
            .Produces(StatusCodes.Status409Conflict)
            .ProducesValidationErrors();

    private static async Task<IResult> HandleAsync(
        Guid providerId, Guid id, AddContact.ContactRequest request, HttpContext http, TransactionRunner transactions, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await RunAsync(transactions, clock, providerId, id, request, http.Caller().Actor, ct);
        return outcome.ToApiResult(c => TypedResults.Ok(new AddContact.ContactEnvelope(ContactResponse.From(c))));
    }

    public static Task<Outcome<Contact>> RunAsync(
        TransactionRunner transactions, TimeProvider clock, Guid providerId, Guid id, AddContact.ContactRequest request, Actor actor, CancellationToken ct) =>
        transactions.RunAsync(ProvidersModule.Schema, async tx =>
        {
            var (provider, before, error) = await EditableProvider.FindWithPartAsync(tx, PartKinds.Contacts, providerId, id, ct);
            if (provider is null || before is null)
            {
                return (Outcome<Contact>)error!;
            }

            var draft = new ContactDraft(
                request.FirstName ?? before.FirstName, request.LastName ?? before.LastName, request.Email ?? before.Email,
                request.TelephoneNumber ?? before.TelephoneNumber).Normalised();
            var errors = Validation.Errors(ContactDraftValidator.Instance, draft).ToList();
            if (errors.Count == 0 && await PartStore.ContactEmailTakenAsync(tx, providerId, draft.Email!, before.Id, ct))
            {
                errors.Add(new ApiError("email", AddContact.EmailTaken));
            }

            if (errors.Count > 0)
            {
                return ApiErrors.Unprocessable(errors);
            }

            return await PartStore.UpdateContactAsync(tx, before, draft, actor, clock.UtcNowForDatabase(), ct);
        }, ct);
}
