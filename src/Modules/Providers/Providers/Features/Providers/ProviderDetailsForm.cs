using Microsoft.AspNetCore.Http;
using Npgsql;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Web.Forms;
using Register.BuildingBlocks.Web.Layout;
using Register.Providers.Domain;

namespace Register.Providers.Features.Providers;

/// <summary>A provider's details as the pages ask for them (names, UKPRN, URN, code), checked by the provider rules.</summary>
internal sealed record ProviderDetails(string? OperatingName, string? LegalName, string? Ukprn, string? Urn, string? Code)
{
    internal static readonly string[] Fields = ["operating_name", "legal_name", "ukprn", "urn", "code"];

    internal static ProviderDetails Read(IFormCollection form) => new(form["operating_name"], form["legal_name"], form["ukprn"], form["urn"], form["code"]);

    internal IEnumerable<KeyValuePair<string, string?>> Values() =>
        [new("operating_name", OperatingName), new("legal_name", LegalName), new("ukprn", Ukprn), new("urn", Urn), new("code", Code)];

    internal ProviderDraft ApplyTo(ProviderDraft draft) =>
        (draft with { OperatingName = OperatingName, LegalName = LegalName, Ukprn = Ukprn, Urn = Urn, Code = Code }).Normalised();

    /// <summary>The provider rules' errors for these fields (<see cref="ProviderDraftValidator"/>), and a code another provider has.</summary>
    internal static async Task<IReadOnlyList<ApiError>> ErrorsAsync(NpgsqlDataSource db, ProviderDraft draft, Guid? except, CancellationToken ct)
    {
        var errors = Validation.Errors(ProviderDraftValidator.Instance, draft).Where(e => Fields.Contains(e.Field)).ToList();
        if (!errors.Any(e => e.Field == "code") && draft.Code is { Length: > 0 } code)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            if (await ProviderStore.CodeTakenAsync(connection, code, except, null, ct))
            {
                errors.Add(new ApiError("code", "Enter a unique provider code"));
            }
        }

        // In the order of the fields on the page, as the error summary lists them.
        return errors.OrderBy(e => Array.IndexOf(Fields, e.Field)).ToList();
    }

    internal IReadOnlyList<AnswerRow> Rows(string? changeHref) =>
    [
        new("Operating name", OperatingName, changeHref),
        new("Legal name", LegalName, changeHref),
        new("UK provider reference number (UKPRN)", Ukprn, changeHref, "UK provider reference number (UKPRN)"),
        new("Unique reference number (URN)", Urn, changeHref, "unique reference number (URN)"),
        new("Provider code", Code, changeHref),
    ];
}
