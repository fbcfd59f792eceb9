using FluentValidation;
using Register.BuildingBlocks.Http;

namespace Register.Providers.Domain;

internal static class Validation
{
    /// <summary>The errors of <paramref name="value"/>, fields named in snake_case and prefixed (<c>accreditation.number</c>) when nested.</summary>
    public static IEnumerable<ApiError> Errors<T>(IValidator<T> validator, T value, string? prefix = null) =>
        validator.Validate(value).Errors.Select(e => new ApiError(prefix is null ? e.PropertyName : $"{prefix}.{e.PropertyName}", e.ErrorMessage));
}
