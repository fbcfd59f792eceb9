using Register.BuildingBlocks.Web;
using Register.Providers.Domain;

namespace Register.Providers.Features.Providers;

/// <summary>How the pages name a provider's type, status and years, in the reference's words.</summary>
internal static class ProviderLabels
{
    public static string Type(string type) => type switch
    {
        ProviderTypes.Hei => "Higher education institution (HEI)",
        ProviderTypes.Scitt => "School-centred initial teacher training (SCITT)",
        ProviderTypes.School => "School",
        _ => "Other",
    };

    public static string Status(string status) => status == ProviderTypes.Accredited ? "Accredited" : "Not accredited";

    /// <summary>"2025 to 2026 - current", newest first.</summary>
    public static IReadOnlyList<string> Years(IEnumerable<int> years, DateOnly today) => years.OrderDescending().Select(y => Formats.AcademicYear(y, today)).ToList();

    /// <summary>The academic years the filters offer: from next year back to 2019, as the reference lists them.</summary>
    public static IReadOnlyList<int> FilterYears(DateOnly today) =>
        Enumerable.Range(2019, AcademicYears.Containing(today) + 1 - 2019 + 1).Reverse().ToList();
}
