using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace Register.BuildingBlocks.Contracts;

/// <summary>
/// The field-level changes between two states of a record, for the activity log: each public property of
/// <typeparamref name="T"/> (named in snake_case) whose value differs, as text. Pass null as
/// <c>before</c> for a record just created, or as <c>after</c> for one just deleted.
/// </summary>
public static class FieldChanges
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = SnakeCase.Instance };

    public static IReadOnlyList<FieldChange> Between<T>(T? before, T? after)
        where T : class
    {
        var changes = new List<FieldChange>();
        foreach (var property in typeof(T).GetProperties())
        {
            var old = before is null ? null : Text(property.GetValue(before));
            var @new = after is null ? null : Text(property.GetValue(after));
            if (old != @new)
            {
                changes.Add(new FieldChange(SnakeCase.Instance.ConvertName(property.Name), old, @new));
            }
        }

        return changes;
    }

    public static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable e => JsonSerializer.Serialize(e, Json),
        _ => value.ToString(),
    };
}
