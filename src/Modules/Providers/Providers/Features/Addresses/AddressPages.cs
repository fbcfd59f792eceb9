using Microsoft.AspNetCore.Routing;
using Register.Providers.Domain;
using Register.Providers.Features.ProviderParts;

namespace Register.Providers.Features.Addresses;

/// <summary>
/// A provider's "Addresses" tab and its add, change and delete pages (<see cref="PartPages"/>), entered whole (no
/// Ordnance Survey look-up here), saved by <see cref="AddAddress"/>, <see cref="UpdateAddress"/> and <see cref="DeleteAddress"/>.
/// </summary>
internal static class AddressPages
{
    public static readonly PartJourney<AddressAnswers, Address> Journey = new(
        ProviderPartFormPage.PartKind.Address, "addresses", "address", "Addresses", "Address",
        (form, _) => AddressAnswers.Read(form),
        answers => answers.Values(),
        (answers, change) => answers.Rows(change),
        AddressAnswers.From,
        a => a.Id,
        a => $"{a.TownOrCity}, {a.Postcode}",
        PartKinds.Addresses,
        (t, clock, providerId, answers, actor, ct) => AddAddress.RunAsync(t, clock, providerId, answers.ToDraft(), actor, ct),
        (t, clock, providerId, id, answers, actor, ct) => UpdateAddress.RunAsync(t, clock, providerId, id, answers.ToRequest(), actor, ct),
        DeleteAddress.RunAsync)
    {
        DeleteWarning = "Deleting an address is permanent – you cannot undo it.",
    };

    public static void Map(RouteGroupBuilder web) => PartPages.Map(web, Journey);
}
