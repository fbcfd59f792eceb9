using Mediator;
using Microsoft.AspNetCore.Http;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Components;
using Register.BuildingBlocks.Web.Layout;
using Register.Partnerships.Domain;
using Register.Providers.Contracts;

namespace Register.Partnerships.Features.ProviderPartnerships;

/// <summary>What the partnership pages share: the provider whose tab they are on, its role, and how a partnership reads.</summary>
internal static class PartnershipPages
{
    /// <summary>The provider whose partnerships tab this is (the 404 page when there is none).</summary>
    public static async Task<(ProviderHeading? Provider, IResult? Refusal)> ProviderAsync(ISender sender, Guid providerId, bool toChange, CancellationToken ct)
    {
        var provider = await sender.Send(new GetProviderHeading(providerId), ct);
        return provider switch
        {
            null => (null, Pages.NotFound()),
            { Archived: true } when toChange => (null, Pages.Problem(StatusCodes.Status409Conflict, $"{provider.OperatingName} is archived, so its partnerships cannot be changed: restore it first.")),
            _ => (provider, null),
        };
    }

    public static bool IsAccredited(ProviderHeading provider) => provider.AccreditationStatus == "accredited";

    /// <summary>The kind of partner this provider takes: training partners for an accredited provider, accredited providers otherwise.</summary>
    public static string PartnerKind(ProviderHeading provider) => IsAccredited(provider) ? "training partner" : "accredited provider";

    /// <summary>Whether a provider may be this provider's partner, as the reference lists them (not archived, not itself).</summary>
    public static bool Eligible(ProviderHeading provider, PartnerProvider candidate) =>
        candidate.Id != provider.Id && !candidate.Archived && !candidate.Deleted
        && (IsAccredited(provider) ? candidate.ProviderType is "hei" or "school" or "other" : candidate.AccreditationStatus == "accredited");

    public static SearchProviders Search(ProviderHeading provider, string query) =>
        IsAccredited(provider) ? new SearchProviders(query, ["hei", "school", "other"], null, 20) : new SearchProviders(query, null, "accredited", 20);

    public static string Hint(ProviderMatch m) => $"Provider code: {m.Code}, UKPRN: {m.Ukprn}" + (m.Urn is null ? "" : $", URN: {m.Urn}");

    /// <summary>
    /// The academic years a partnership may be for: every year its dates overlap, newest first; an open end runs to the end of
    /// next academic year.
    /// </summary>
    public static IReadOnlyList<int> YearOptions(DateOnly start, DateOnly? end, DateOnly today)
    {
        static int Containing(DateOnly d) => d.Month >= 8 ? d.Year : d.Year - 1;
        var last = end is { } e ? Containing(e) : Containing(today) + 1;
        return Enumerable.Range(Containing(start), Math.Max(0, last - Containing(start) + 1)).Reverse().ToList();
    }

    public static IReadOnlyList<Choice> YearChoices(IEnumerable<int> years, DateOnly today) =>
        years.Select(y => new Choice(y.ToString(System.Globalization.CultureInfo.InvariantCulture), Formats.AcademicYear(y, today), Formats.AcademicYearDates(y))).ToList();

    public static IReadOnlyList<AnswerRow> Rows(string accredited, string partner, DateOnly start, DateOnly? end, IEnumerable<int> years, DateOnly today, string? changePartner, string? changeDates, string? changeYears, bool accreditedIsPartner) =>
    [
        new("Accredited provider", accredited, accreditedIsPartner ? changePartner : null, "accredited provider"),
        new("Training partner", partner, accreditedIsPartner ? null : changePartner, "training partner"),
        new("Partnership dates", [$"Starts on {Formats.Date(start)}", $"Ends on {Formats.Date(end) ?? "Not entered"}"], changeDates, "partnership dates"),
        new("Academic years", years.OrderDescending().Select(y => Formats.AcademicYear(y, today)).ToList(), changeYears, "academic years"),
    ];
}
