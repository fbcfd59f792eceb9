using System.Globalization;
using CsvHelper;

namespace Register.BuildingBlocks.Csv;

/// <summary>CSV files read as rows of named fields (seed imports, bulk uploads).</summary>
public static class CsvRows
{
    /// <summary>Each data row with its line number in the file and its fields by header name.</summary>
    public static IEnumerable<(int Line, IReadOnlyDictionary<string, string> Row)> Read(string path)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        if (!csv.Read() || !csv.ReadHeader())
        {
            yield break;
        }

        var headers = csv.HeaderRecord!;
        while (csv.Read())
        {
            yield return (csv.Parser.RawRow, headers.Select((h, i) => (h, Value: csv.GetField(i) ?? "")).ToDictionary(x => x.h, x => x.Value));
        }
    }

    /// <summary>A field's trimmed value, or null when it is missing or blank.</summary>
    public static string? Field(this IReadOnlyDictionary<string, string> row, string name) =>
        row.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>Seed dates look like <c>2024-08-01T00:00:00Z</c> or <c>2024-08-01</c>; anything else is no date.</summary>
    public static DateOnly? Date(string? value) =>
        value is not null && value.Length >= 10 && DateOnly.TryParseExact(value[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;
}
