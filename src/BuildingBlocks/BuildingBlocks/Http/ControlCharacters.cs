namespace Register.BuildingBlocks.Http;

/// <summary>
/// Register's one rule for text: no control characters (U+0000–U+001F, U+007F–U+009F) in any field or parameter.
/// PostgreSQL cannot store U+0000, and nobody means a bell or an escape in a name. Tab, carriage return and line
/// feed are allowed only in fields that hold more than one line (<paramref name="multiLine"/>).
/// </summary>
public static class ControlCharacters
{
    public const string Message = "must not contain control characters";

    public static bool IsForbidden(char c, bool multiLine = false) =>
        (c < '\u0020' && !(multiLine && c is '\t' or '\n' or '\r')) || c is >= '\u007F' and <= '\u009F';

    public static bool AnyIn(string? text, bool multiLine = false)
    {
        if (text is null)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (IsForbidden(c, multiLine))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A name that may itself hold control characters, made printable for a message: <c>a\u0007b</c>.</summary>
    public static string Printable(string name) =>
        AnyIn(name) ? string.Concat(name.Select(c => IsForbidden(c) ? $"\\u{(int)c:X4}" : c.ToString())) : name;
}
