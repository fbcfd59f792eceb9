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

/// <summary><c>POST /support/providers/{id}/contacts</c>: adds a contact; an email is used once per provider.</summary>
internal static class AddContact
{
    internal sealed record ContactRequest(string? FirstName, string? LastName, string? Email, string? TelephoneNumber);

    internal sealed record ContactEnvelope(ContactResponse Data);

    public const string EmailTaken = "Email address is already associated with a user, use a different one";

    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/providers/{providerId:guid}/contacts", HandleAsync)
            .WithName("AddContact")
            .WithSummary("Add a contact to a provider")
            .Produces<ContactEnvelope>(StatusCodes.Status201Created)
            .Produces(StatusCodes.Status404NotFound)
            .Produces(StatusCodes.Status409Conflict)
            .ProducesValidationErrors();

    private static async Task<IResult> HandleAsync(
        Guid providerId, ContactRequest request, HttpContext http, TransactionRunner transactions, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await RunAsync(transactions, clock, providerId, request, http.Caller().Actor, ct);
        return outcome.ToApiResult(c => TypedResults.Created($"/support/providers/{providerId}/contacts/{c.Id}", new ContactEnvelope(ContactResponse.From(c))));
    }

    public static Task<Outcome<Contact>> RunAsync(TransactionRunner transactions, TimeProvider clock, Guid providerId, ContactRequest request, Actor actor, CancellationToken ct)
    {
        var draft = new ContactDraft(request.FirstName, request.LastName, request.Email, request.TelephoneNumber).Normalised();
        var errors = Validation.Errors(ContactDraftValidator.Instance, draft).ToList();
        return transactions.RunAsync(ProvidersModule.Schema, async tx =>
        {
            var (provider, error) = await EditableProvider.FindAsync(tx, providerId, ct);
            if (provider is null)
            {
                return (Outcome<Contact>)error!;
            }

            if (errors.Count == 0 && await PartStore.ContactEmailTakenAsync(tx, providerId, draft.Email!, null, ct))
            {
                errors.Add(new ApiError("email", EmailTaken));
            }

            if (errors.Count > 0)
            {
                return ApiErrors.Unprocessable(errors);
            }

            return await PartStore.InsertContactAsync(tx, provider.Id, draft, actor, clock.UtcNowForDatabase(), ct);
        }, ct);
    }
}
