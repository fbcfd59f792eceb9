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

    /// <summary>At most this many trainees a file, so one upload's run stays within a minute or so (10,000 rows: 7.7 s).</summary>
    public const int MaxRows = 25_000;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

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

        List<(string[] Cells, int Line)> records;
        try
        {
            records = Parse(Decode(content).TrimStart('\uFEFF'));
        }
        catch (Exception ex) when (ex is CsvHelperException or BadDataException)
        {
            return ([], "The selected file must be a CSV");
        }

        if (records.Count == 0)
        {
            return ([], "The selected file is empty");
        }

        // Blank fields past the last column (a spreadsheet's trailing commas) are no structural issue; values there are.
        var headers = records[0].Cells.Select(h => h.Trim()).Reverse().SkipWhile(h => h.Length == 0).Reverse().ToArray();
        if (headers.Any(h => h.Length == 0) || records.Skip(1).Any(r => r.Cells.Skip(headers.Length).Any(c => !string.IsNullOrWhiteSpace(c))))
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

        // Only the cells that hold a value are kept: a blank cell and a missing one mean the same.
        var rows = new List<UploadRow>();
        foreach (var (record, line) in records.Skip(1))
        {
            var cells = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < headers.Length && i < record.Length; i++)
            {
                if (known.TryGetValue(headers[i], out var column) && Cell(record[i]) is { } value)
                {
                    cells[column] = value;
                }
            }

            if (cells.Count > 0)
            {
                rows.Add(new UploadRow(rows.Count + 1, line, cells));
            }
        }

        return rows.Count switch
        {
            0 => ([], "The selected file must contain at least one trainee"),
            > MaxRows => ([], $"The selected file must contain no more than {MaxRows:N0} trainees: split it into smaller files"),
            _ => (rows, null),
        };
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

    /// <summary>
    /// The file's text: UTF-8 (with or without a BOM) when it is valid UTF-8; otherwise Windows-1252, which is what Excel on
    /// Windows saves as "CSV", so a name like Zoë arrives as Zoë and not as a replacement character.
    /// </summary>
    private static string Decode(byte[] content)
    {
        try
        {
            return StrictUtf8.GetString(content);
        }
        catch (DecoderFallbackException)
        {
            return CodePagesEncodingProvider.Instance.GetEncoding(1252)!.GetString(content);
        }
    }

    /// <summary>The file's records, each with the line of the file it starts on (a quoted cell may span lines; blank lines are skipped).</summary>
    private static List<(string[] Cells, int Line)> Parse(string text)
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
        var records = new List<(string[], int)>();
        while (csv.Read())
        {
            var cells = csv.Parser.Record ?? [];
            // RawRow is the line the record ends on: back by the line breaks inside its cells.
            records.Add((cells, csv.Parser.RawRow - cells.Sum(c => c.Count(ch => ch == '\n'))));
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
