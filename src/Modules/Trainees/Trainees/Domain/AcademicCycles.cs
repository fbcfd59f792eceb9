using System.Globalization;

namespace Register.Trainees.Domain;

/// <summary>Academic cycles run from 1 August to 31 July and are named by the year they start in: 2026 is "2026 to 2027".</summary>
internal static class AcademicCycles
{
    public static int Of(DateOnly date) => date.Month >= 8 ? date.Year : date.Year - 1;

    public static string Label(int year) => string.Create(CultureInfo.InvariantCulture, $"{year} to {year + 1}");
}
