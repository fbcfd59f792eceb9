using System.Globalization;

namespace Register.Trainees.ReferenceData;

/// <summary>
/// One value of a HESA code list, as <c>data/hesa/codes/*.yml</c> has it: an internal name, a display name, the
/// HESA codes that mean it (the first is the one Register answers with), and the years it is valid in.
/// </summary>
internal sealed record ReferenceValue(string Id, string Name, string DisplayName, IReadOnlyList<string> Codes, int? StartYear, int? EndYear)
{
    /// <summary>The code Register answers with: the value's first HESA code (null for the few values that have none).</summary>
    public string? Code => Codes.Count > 0 ? Codes[0] : null;

    /// <summary>For a course age range (its id is <c>"3,11"</c>): the youngest and oldest ages; null for other lists.</summary>
    public (int Min, int Max)? Ages { get; } =
        Id.Split(',') is [var min, var max] && int.TryParse(min, CultureInfo.InvariantCulture, out var low) && int.TryParse(max, CultureInfo.InvariantCulture, out var high)
            ? (low, high)
            : null;
}

/// <summary>
/// A HESA code list (sex, training_route, degree_subject, ...): look-ups by code and by label, the API's display
/// label of each code, and the reference's message for a value that is not in the list.
/// </summary>
internal sealed class CodeList
{
    private readonly Dictionary<string, ReferenceValue> _byCode;
    private readonly Dictionary<string, ReferenceValue> _byName;
    private readonly Dictionary<string, ReferenceValue> _byId;
    private readonly IReadOnlyDictionary<string, string> _labels;

    public CodeList(string field, string name, string displayName, string? description, IReadOnlyList<ReferenceValue> values, IReadOnlyDictionary<string, string> labels)
    {
        Field = field;
        Name = name;
        DisplayName = displayName;
        Description = description;
        Values = values;
        _labels = labels;
        _byCode = new Dictionary<string, ReferenceValue>(StringComparer.Ordinal);
        _byName = new Dictionary<string, ReferenceValue>(StringComparer.Ordinal);
        _byId = new Dictionary<string, ReferenceValue>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            foreach (var code in value.Codes)
            {
                _byCode.TryAdd(code, value);
            }

            _byName.TryAdd(value.Name, value);
            _byId.TryAdd(value.Id, value);
        }

        Codes = values.SelectMany(v => v.Codes).Distinct().ToList();
        SortedCodes = Codes.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The field name of the list in the reference-data endpoint (<c>sex</c>, <c>degree_grade</c>, ...).</summary>
    public string Field { get; }

    public string Name { get; }

    public string DisplayName { get; }

    /// <summary>The list's description; null when its file has none.</summary>
    public string? Description { get; }

    public IReadOnlyList<ReferenceValue> Values { get; }

    /// <summary>Every code of the list, in the list's own order (the order the reference's messages name them in).</summary>
    public IReadOnlyList<string> Codes { get; }

    /// <summary>Every code of the list, sorted (the reference-data endpoint's order).</summary>
    public IReadOnlyList<string> SortedCodes { get; }

    public ReferenceValue? ByCode(string? code) => code is not null && _byCode.TryGetValue(code, out var value) ? value : null;

    public bool Contains(string? code) => ByCode(code) is not null;

    /// <summary>A value by its internal name (<c>now_teach</c>, <c>other_uk</c>).</summary>
    public ReferenceValue? ByName(string? name) => name is not null && _byName.TryGetValue(name, out var value) ? value : null;

    /// <summary>A value by its reference data id (the <c>*_uuid</c> the API shows beside a degree's codes).</summary>
    public ReferenceValue? ById(string? id) => id is not null && _byId.TryGetValue(id, out var value) ? value : null;

    /// <summary>What the API shows for a code: the label of the reference's locale file, else the value's display name.</summary>
    public string Label(string code) =>
        _labels.TryGetValue(code, out var label) ? label : ByCode(code)?.DisplayName ?? code;

    /// <summary>
    /// The reference's inclusion message: <c>sex has invalid reference data value of '3'. Valid values are '10', '11', ...</c>,
    /// or with ten or more codes <c>... Example values include '01', '02', ...</c> (the first ten, in the list's order).
    /// </summary>
    public string InvalidValueMessage(string value) => InvalidValueMessage(value, Codes);

    public static string InvalidValueMessage(string value, IReadOnlyList<string> codes)
    {
        var quoted = (IEnumerable<string> list) => string.Join(", ", list.Select(c => $"'{c}'"));
        return codes.Count < 10
            ? string.Create(CultureInfo.InvariantCulture, $"has invalid reference data value of '{value}'. Valid values are {quoted(codes)}.")
            : string.Create(CultureInfo.InvariantCulture, $"has invalid reference data value of '{value}'. Example values include {quoted(codes.Take(10))}...");
    }
}
