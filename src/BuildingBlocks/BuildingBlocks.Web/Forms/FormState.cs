using Microsoft.AspNetCore.Http;
using Register.BuildingBlocks.Http;

namespace Register.BuildingBlocks.Web.Forms;

/// <summary>
/// What a form shows: the values sent (or the draft's or the record's, before anything is sent) and the errors the
/// rules found, each naming its field. Inputs take their value and error from here by name; an input's id is its
/// name, so the error summary links to it.
/// </summary>
public sealed class FormState
{
    private readonly Dictionary<string, string[]> _values;

    private FormState(Dictionary<string, string[]> values, IReadOnlyList<ApiError> errors)
    {
        _values = values;
        Errors = errors;
    }

    public static FormState Empty { get; } = new([], []);

    public IReadOnlyList<ApiError> Errors { get; }

    public bool HasErrors => Errors.Count > 0;

    public string? this[string name] => _values.TryGetValue(name, out var values) && values.Length > 0 ? values[0] : null;

    /// <summary>Every value sent under <paramref name="name"/> (checkboxes).</summary>
    public IReadOnlyList<string> All(string name) => _values.TryGetValue(name, out var values) ? values : [];

    public string? ErrorFor(string field) => Errors.FirstOrDefault(e => e.Field == field)?.Message;

    /// <summary>What a form sent, minus the anti-forgery token.</summary>
    public static FormState From(IFormCollection form, IEnumerable<ApiError>? errors = null) => new(
        form.Where(f => f.Key != "authenticity_token").ToDictionary(f => f.Key, f => f.Value.Where(v => v is not null).Select(v => v!).ToArray()),
        errors?.ToList() ?? []);

    /// <summary>A form filled in from a draft or a record.</summary>
    public static FormState Of(IEnumerable<KeyValuePair<string, string?>> values) =>
        new(values.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => new[] { v.Value! }), []);

    /// <summary>A form filled in from a draft or a record, with several values for some names (checkboxes).</summary>
    public static FormState Of(IEnumerable<KeyValuePair<string, string?>> values, IEnumerable<KeyValuePair<string, IEnumerable<string>>> lists) =>
        new(values.Where(v => v.Value is not null).Select(v => new KeyValuePair<string, string[]>(v.Key, [v.Value!]))
            .Concat(lists.Select(l => new KeyValuePair<string, string[]>(l.Key, l.Value.ToArray())))
            .ToDictionary(v => v.Key, v => v.Value), []);

    public FormState WithErrors(IEnumerable<ApiError> errors) => new(_values, errors.ToList());

    /// <summary>The values of a date input, as <see cref="Components.DateInput"/> names its three boxes.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> DateValues(string name, DateOnly? date) =>
    [
        new($"{name}-day", date?.Day.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new($"{name}-month", date?.Month.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new($"{name}-year", date?.Year.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];

    /// <summary>The id of the input a field's error links to.</summary>
    public static string IdFor(string field) => field;
}
