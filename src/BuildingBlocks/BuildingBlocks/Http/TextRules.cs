using FluentValidation;

namespace Register.BuildingBlocks.Http;

public static class TextRules
{
    /// <summary>
    /// Text a person typed: no control characters (PostgreSQL cannot store NUL, and nobody means a tab
    /// in a name). Use on every free-text field.
    /// </summary>
    public static IRuleBuilderOptions<T, string?> PlainText<T>(this IRuleBuilder<T, string?> rule, string field) =>
        rule.Must(value => value is null || !value.Any(char.IsControl))
            .WithMessage($"{field} must not contain control characters");
}
