using System.Globalization;
using Microsoft.AspNetCore.Http;
using Register.BuildingBlocks.Http;

namespace Register.BuildingBlocks.Web.Forms;

/// <summary>
/// Reads a posted form for the shared rules: text as sent, and dates from the three boxes of a GOV.UK date input, with
/// the design system's messages when the boxes do not make a date. A field that failed here is not judged again by
/// the rules (<see cref="Merge"/>), so each field shows one message.
/// </summary>
public sealed class FormReader(IFormCollection form)
{
    private readonly List<ApiError> _errors = [];

    public IFormCollection Form => form;

    /// <summary>The errors found while reading: dates that are not dates.</summary>
    public IReadOnlyList<ApiError> Errors => _errors;

    /// <summary>The text of a field as sent; text with a control character in it is an error on that field (a multi-line field may hold tabs and new lines).</summary>
    public string? Text(string name, bool multiLine = false)
    {
        var value = form[name].ToString();
        if (ControlCharacters.AnyIn(value, multiLine) && _errors.All(e => e.Field != name))
        {
            _errors.Add(new ApiError(name, "Remove the control characters (such as tabs) from this answer"));
        }

        return value.Length == 0 && !form.ContainsKey(name) ? null : value;
    }

    public IReadOnlyList<string> All(string name) => form[name].Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToList();

    /// <summary>
    /// The date in <c>{name}-day</c>, <c>{name}-month</c> and <c>{name}-year</c>: null when all three are blank (the
    /// rules say whether it is needed), else the date, or null and an error naming <paramref name="label"/>.
    /// </summary>
    public DateOnly? Date(string name, string label)
    {
        var parts = new[] { ("day", form[$"{name}-day"].ToString().Trim()), ("month", form[$"{name}-month"].ToString().Trim()), ("year", form[$"{name}-year"].ToString().Trim()) };
        if (parts.All(p => p.Item2.Length == 0))
        {
            return null;
        }

        var missing = parts.Where(p => p.Item2.Length == 0).Select(p => p.Item1).ToList();
        if (missing.Count > 0)
        {
            _errors.Add(new ApiError(name, $"{label} must include a {string.Join(" and ", missing)}"));
            return null;
        }

        var day = Number(parts[0].Item2);
        var month = Number(parts[1].Item2) ?? MonthByName(parts[1].Item2);
        var year = Number(parts[2].Item2);
        if (year is not null && parts[2].Item2.Length != 4)
        {
            _errors.Add(new ApiError(name, "Year must include 4 numbers"));
            return null;
        }

        if (day is null || month is null || year is null || month is < 1 or > 12 || year is < 1900 or > 2100 || day < 1 || day > DateTime.DaysInMonth(year.Value, month.Value))
        {
            _errors.Add(new ApiError(name, $"{label} must be a real date"));
            return null;
        }

        return new DateOnly(year.Value, month.Value, day.Value);
    }

    /// <summary>The errors of reading, then the rules' errors for every field that read well.</summary>
    public IReadOnlyList<ApiError> Merge(IEnumerable<ApiError> ruleErrors)
    {
        var failed = _errors.Select(e => e.Field).ToHashSet();
        return _errors.Concat(ruleErrors.Where(e => !failed.Contains(e.Field))).ToList();
    }

    private static int? Number(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static int? MonthByName(string text)
    {
        for (var m = 1; m <= 12; m++)
        {
            var name = CultureInfo.GetCultureInfo("en-GB").DateTimeFormat.GetMonthName(m);
            if (text.Equals(name, StringComparison.OrdinalIgnoreCase) || (text.Length == 3 && name.StartsWith(text, StringComparison.OrdinalIgnoreCase)))
            {
                return m;
            }
        }

        return null;
    }
}
