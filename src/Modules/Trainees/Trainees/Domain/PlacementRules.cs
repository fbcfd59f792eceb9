using System.Text.RegularExpressions;

namespace Register.Trainees.Domain;

/// <summary>A placement as a request describes it: a school Register knows (by URN), or a named place with an optional postcode.</summary>
internal sealed record PlacementDraft(string? Urn, string? Name, string? Postcode, KnownSchool? School)
{
    public Placement ToPlacement(Placement template) => template with
    {
        Urn = Urn,
        Name = School is null ? Name : null,
        Postcode = School is null ? Postcode : null,
        SchoolId = School?.Id,
    };

    /// <summary>A placement as written, as the API shows it: at a known school, with the school's name and postcode.</summary>
    public Placement Shown(Placement written) => written with
    {
        Name = School?.Name ?? written.Name,
        Postcode = School?.Postcode ?? written.Postcode,
    };
}

/// <summary>The placement rules (spec §4.4): a 6-digit URN; a name unless the URN is a known school's; a UK postcode.</summary>
internal static partial class PlacementRules
{
    /// <summary>A placement from the fields sent; one sent with a new trainee takes no postcode, as in the reference.</summary>
    public static PlacementDraft Map(RequestData data, KnownOrganisations known, bool withPostcode = true) =>
        Draft(data.Text("urn"), data.Text("name"), withPostcode ? data.Text("postcode") : null, known);

    /// <summary>A stored placement with the fields sent laid on top.</summary>
    public static PlacementDraft Merge(Placement stored, RequestData data, KnownOrganisations known)
    {
        var urn = data.Has("urn") ? data.Text("urn") : stored.Urn;
        return Draft(
            urn,
            data.Has("name") ? data.Text("name") : stored.SchoolId is null ? stored.Name : null,
            data.Has("postcode") ? data.Text("postcode") : stored.SchoolId is null ? stored.Postcode : null,
            known);
    }

    public static IEnumerable<TraineeError> Validate(PlacementDraft placement)
    {
        if (placement.Urn is not null && !Urn().IsMatch(placement.Urn))
        {
            yield return new("urn", "is invalid");
        }

        if (placement.School is null && placement.Name is null)
        {
            yield return new("name", "can't be blank");
        }

        if (placement.School is null && placement.Postcode is not null && !Postcode().IsMatch(placement.Postcode) && !Giro().IsMatch(placement.Postcode))
        {
            yield return new("postcode", "Enter a valid postcode (for example, BN1 1AA)");
        }
    }

    /// <summary>Every URN the placements name, to look up before the rules run.</summary>
    public static IEnumerable<string?> Urns(IEnumerable<RequestData> placements) => placements.Select(p => p.Text("urn"));

    private static PlacementDraft Draft(string? urn, string? name, string? postcode, KnownOrganisations known) =>
        new(urn,
            urn is not null && KnownOrganisations.NotApplicableUrns.TryGetValue(urn, out var label) ? label : name,
            postcode?.ToUpperInvariant(),
            known.SchoolByUrn(urn));

    [GeneratedRegex("^[0-9]{6}$")]
    private static partial Regex Urn();

    /// <summary>A full UK postcode (area, district, sector and unit; the space optional), as the reference's postcode check.</summary>
    [GeneratedRegex(@"^\s*[A-PR-UWYZ01][A-HJ-Z0]?[0-9IO][0-9A-HJKMNPR-YIO]?\s*[0-9IO][ABD-HJLNPQ-Z]{2}\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Postcode();

    [GeneratedRegex(@"^\s*GIR\s*0AA\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Giro();
}
