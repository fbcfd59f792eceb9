using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Web.Forms;
using Register.BuildingBlocks.Web.Layout;
using Register.Providers.Domain;
using Register.Providers.Features.Providers;

namespace Register.Providers.Features.Addresses;

/// <summary>An address as the pages ask for it, read from <see cref="AddressFields"/> and checked by the address rules.</summary>
internal sealed record AddressAnswers(string? AddressLine1, string? AddressLine2, string? AddressLine3, string? TownOrCity, string? County, string? Postcode)
{
    private static readonly string[] Fields = ["address_line_1", "address_line_2", "address_line_3", "town_or_city", "county", "postcode"];

    internal AddressDraft ToDraft() => new AddressDraft(AddressLine1, AddressLine2, AddressLine3, TownOrCity, County, Postcode, null, null, null).Normalised();

    internal static (AddressAnswers Answers, IReadOnlyList<ApiError> Errors) Read(FormReader form)
    {
        var draft = new AddressDraft(
            form.Text("address_line_1"), form.Text("address_line_2"), form.Text("address_line_3"), form.Text("town_or_city"), form.Text("county"), form.Text("postcode"),
            null, null, null).Normalised();
        var errors = Validation.Errors(AddressDraftValidator.Instance, draft).Where(e => Fields.Contains(e.Field)).ToList();
        return (From(draft), form.Merge(errors));
    }

    internal static AddressAnswers From(AddressDraft d) => new(d.AddressLine1, d.AddressLine2, d.AddressLine3, d.TownOrCity, d.County, d.Postcode);

    internal static AddressAnswers From(Address a) => new(a.AddressLine1, a.AddressLine2, a.AddressLine3, a.TownOrCity, a.County, a.Postcode);

    internal CreateProvider.AddressRequest ToRequest() => new(AddressLine1, AddressLine2 ?? "", AddressLine3 ?? "", TownOrCity, County ?? "", Postcode, null, null, null);

    internal IEnumerable<KeyValuePair<string, string?>> Values() =>
    [
        new("address_line_1", AddressLine1), new("address_line_2", AddressLine2), new("address_line_3", AddressLine3),
        new("town_or_city", TownOrCity), new("county", County), new("postcode", Postcode),
    ];

    internal IReadOnlyList<string> Lines() =>
        new[] { AddressLine1, AddressLine2, AddressLine3, TownOrCity, County, Postcode }.Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l!).ToList();

    internal IReadOnlyList<AnswerRow> Rows(string? changeHref) => [new("Address", Lines(), changeHref)];
}
