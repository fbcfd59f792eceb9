using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace Register.Trainees.Features.Uploads;

/// <summary>One data row of an upload: its number among the non-blank rows, its line in the file, and its cells by template column.</summary>
internal sealed record UploadRow(int RowNumber, int Line, IReadOnlyDictionary<string, string?> Cells);

/// <summary>
/// The checks of an uploaded CSV (spec §9) and its rows: the reference's messages, in its order; the template's 51 columns,
/// in any order and any case ("Validation results" and "Errors" of a downloaded report are allowed); blank rows skipped;
/// one leading apostrophe (Excel's mark for "text") removed from every cell.
/// </summary>
internal static class UploadFile
{
    /// <summary>Register takes files of up to 10 MB (the reference 1 MB, about 3,000 trainees): enough for 10,000 and more.</summary>
    public const int MaxBytes = 10 * 1024 * 1024;

    public static IReadOnlyList<string> ReportColumns { get; } = ["Validation results", "Errors"];

    /// <summary>The template's columns, in its order (embedded from <c>data/hesa/bulk_create_trainee_template.csv</c>).</summary>
    public static IReadOnlyList<string> Columns { get; } = ReadTemplate();

    public static string Template { get; } = string.Join(",", Columns) + "\n";

    /// <summary>The rows of a file that passes the checks, or the first check it fails.</summary>
    public static (IReadOnlyList<UploadRow> Rows, string? Error) Read(byte[] content)
    {
        if (content.Length == 0)
        {
            return ([], "The selected file is empty");
        }

        if (content.Length > MaxBytes)
        {
            return ([], $"The selected file must be smaller than {MaxBytes / 1024 / 1024}MB");
        }

        // A NUL byte is in no CSV a spreadsheet writes, and nothing can store it.
        if (Array.IndexOf(content, (byte)0) >= 0)
        {
            return ([], "The selected file must be a CSV");
        }

        List<string[]> records;
        try
        {
            records = Parse(Encoding.UTF8.GetString(content).TrimStart('\uFEFF'));
        }
        catch (Exception ex) when (ex is CsvHelperException or BadDataException)
        {
            return ([], "The selected file must be a CSV");
        }

        if (records.Count == 0)
        {
            return ([], "The selected file is empty");
        }

        var headers = records[0].Select(h => h.Trim()).ToArray();
        if (headers.Any(h => h.Length == 0) || records.Skip(1).Any(r => r.Length > headers.Length))
        {
            return ([], "The selected CSV file has structural issues. Check columns for empty headers, an incorrect number of columns, or additional commas.");
        }

        var known = Columns.ToDictionary(c => c, StringComparer.OrdinalIgnoreCase);
        var given = headers.Where(h => !ReportColumns.Contains(h, StringComparer.OrdinalIgnoreCase)).ToList();
        var missing = Columns.Where(c => !given.Contains(c, StringComparer.OrdinalIgnoreCase)).ToList();
        var extra = given.Where(h => !known.ContainsKey(h)).ToList();
        if (missing.Count > 0 || extra.Count > 0 || given.Count != given.Distinct(StringComparer.OrdinalIgnoreCase).Count())
        {
            var explanations = new List<string>();
            if (missing.Count > 0)
            {
                explanations.Add($"Your file is missing the following columns: {Sentence(missing)}");
            }

            if (extra.Count > 0)
            {
                explanations.Add($"Your file has the following extra columns: {Sentence(extra)}");
            }

            return ([], $"Your file’s column names need to match the CSV template. {string.Join(". ", explanations)}");
        }

        var rows = new List<UploadRow>();
        for (var line = 1; line < records.Count; line++)
        {
            var record = records[line];
            var cells = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < headers.Length; i++)
            {
                if (known.TryGetValue(headers[i], out var column))
                {
                    cells[column] = Cell(i < record.Length ? record[i] : null);
                }
            }

            if (cells.Values.All(v => v is null))
            {
                continue;
            }

            rows.Add(new UploadRow(rows.Count + 1, line + 1, cells));
        }

        return rows.Count == 0 ? ([], "The selected file must contain at least one trainee") : (rows, null);
    }

    /// <summary>A cell as a value: one leading apostrophe removed; blank is no value.</summary>
    private static string? Cell(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var value = text.StartsWith('\'') ? text[1..] : text;
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    /// <summary><c>'a'</c>, <c>'a' and 'b'</c>, <c>'a', 'b', and 'c'</c>, as Rails' to_sentence.</summary>
    private static string Sentence(IReadOnlyList<string> items)
    {
        var quoted = items.Select(i => $"'{i}'").ToList();
        return quoted.Count switch
        {
            1 => quoted[0],
            2 => $"{quoted[0]} and {quoted[1]}",
            _ => $"{string.Join(", ", quoted.Take(quoted.Count - 1))}, and {quoted[^1]}",
        };
    }

    private static List<string[]> Parse(string text)
    {
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = false,
            BadDataFound = args => throw new BadDataException(args.Field, args.RawRecord, args.Context),
            DetectColumnCountChanges = false,
            IgnoreBlankLines = true,
        };
        using var reader = new StringReader(text);
        using var csv = new CsvReader(reader, configuration);
        var records = new List<string[]>();
        while (csv.Read())
        {
            records.Add(csv.Parser.Record ?? []);
        }

        return records;
    }

    private static List<string> ReadTemplate()
    {
        using var stream = typeof(UploadFile).Assembly.GetManifestResourceStream("hesa.bulk_create_trainee_template.csv")
            ?? throw new InvalidOperationException("The embedded CSV template is missing: is data/hesa complete?");
        using var reader = new StreamReader(stream);
        return reader.ReadLine()!.Split(',').Select(c => c.Trim()).ToList();
    }
}
