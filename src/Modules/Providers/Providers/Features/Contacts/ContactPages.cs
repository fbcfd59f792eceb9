using Microsoft.AspNetCore.Routing;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Web.Forms;
using Register.BuildingBlocks.Web.Layout;
using Register.Providers.Domain;
using Register.Providers.Features.ProviderParts;

namespace Register.Providers.Features.Contacts;

/// <summary>A contact as the pages ask for it.</summary>
internal sealed record ContactAnswers(string? FirstName, string? LastName, string? Email, string? TelephoneNumber)
{
    internal AddContact.ContactRequest ToRequest() => new(FirstName, LastName, Email, TelephoneNumber ?? "");
}

/// <summary>
/// A provider's "Contacts" tab and its add, change and delete pages (<see cref="PartPages"/>), saved by <see cref="AddContact"/>,
/// <see cref="UpdateContact"/> and <see cref="DeleteContact"/> (an email address is used once per provider).
/// </summary>
internal static class ContactPages
{
    public static readonly PartJourney<ContactAnswers, Contact> Journey = new(
        ProviderPartFormPage.PartKind.Contact, "contacts", "contact", "Contacts", "Contact details",
        (form, _) => Read(form),
        a => [new("first_name", a.FirstName), new("last_name", a.LastName), new("email", a.Email), new("telephone_number", a.TelephoneNumber)],
        (a, change) =>
        [
            new AnswerRow("First name", a.FirstName, change), new AnswerRow("Last name", a.LastName, change),
            new AnswerRow("Email address", a.Email, change), new AnswerRow("Telephone", a.TelephoneNumber, change, "telephone number"),
        ],
        c => new ContactAnswers(c.FirstName, c.LastName, c.Email, c.TelephoneNumber),
        c => c.Id,
        c => $"{c.FirstName} {c.LastName}",
        PartKinds.Contacts,
        (t, clock, providerId, answers, actor, ct) => AddContact.RunAsync(t, clock, providerId, answers.ToRequest(), actor, ct),
        (t, clock, providerId, id, answers, actor, ct) => UpdateContact.RunAsync(t, clock, providerId, id, answers.ToRequest(), actor, ct),
        DeleteContact.RunAsync)
    {
        OrderBy = "lower(last_name), lower(first_name), id",
        DeleteWarning = "Deleting a contact is permanent – you cannot undo it.",
        CheckAsync = async (connection, provider, id, answers, ct) =>
            await PartStore.ContactEmailTakenAsync(connection, null, provider.Id, answers.Email!, id, ct) ? [new ApiError("email", AddContact.EmailTaken)] : [],
    };

    public static void Map(RouteGroupBuilder web) => PartPages.Map(web, Journey);

    /// <summary>The contact rules (<see cref="ContactDraftValidator"/>); the email's uniqueness is checked when saving.</summary>
    private static (ContactAnswers, IReadOnlyList<ApiError>) Read(FormReader form)
    {
        var draft = new ContactDraft(form.Text("first_name"), form.Text("last_name"), form.Text("email"), form.Text("telephone_number")).Normalised();
        return (new ContactAnswers(draft.FirstName, draft.LastName, draft.Email, draft.TelephoneNumber), form.Merge(Validation.Errors(ContactDraftValidator.Instance, draft)));
    }
}
