using System.Text;
using System.Text.RegularExpressions;

namespace Register.Providers.Domain;

/// <summary>
/// The provider search of the reference: PostgreSQL full-text search (dictionary <c>simple</c>, prefix match)
/// over the names and their normalised forms, code, UKPRN and URN. Normalising drops apostrophes, full stops
/// and quotes, turns other punctuation into spaces and expands "COE", "CofE" and "C of E" to "Church of England".
/// </summary>
internal static partial class SearchText
{
    public static string Normalise(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\'' or '’' or '.' or '“' or '”' or '"')
            {
                continue;
            }

            builder.Append(char.IsLetterOrDigit(c) ? c : ' ');
        }

        var expanded = ChurchOfEngland().Replace(builder.ToString(), "Church of England");
        return Spaces().Replace(expanded, " ").Trim();
    }

    /// <summary>What the <c>searchable</c> column indexes for a provider.</summary>
    public static string For(string operatingName, string? legalName, string code, string ukprn, string? urn) =>
        string.Join(' ', new[] { operatingName, Normalise(operatingName), urn, ukprn, legalName, Normalise(legalName), code }
            .Where(s => !string.IsNullOrWhiteSpace(s)));

    /// <summary>A <c>to_tsquery('simple', …)</c> expression matching every word of the term as a prefix; null for a blank term.</summary>
    public static string? Query(string? term)
    {
        var words = Normalise(term).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 0 ? null : string.Join(" & ", words.Select(w => w.ToLowerInvariant() + ":*"));
    }

    [GeneratedRegex(@"\b(C of E|CofE|COE)\b")]
    private static partial Regex ChurchOfEngland();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
