using Microsoft.AspNetCore.Http;

namespace Register.BuildingBlocks.Http;

/// <summary>
/// What a change returns to both its front doors: the value it made, or the refusal (404, 409, 422, ...) with the
/// errors naming their fields. The API slice answers <see cref="ToApiResult"/>; the page slice shows the errors on its
/// form (<see cref="IsInvalid"/>) or the refusal's error page.
/// </summary>
public readonly record struct Outcome<T>
{
    private Outcome(T? value, ApiErrorResult? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public ApiErrorResult? Error { get; }

    public bool Succeeded => Error is null;

    /// <summary>Refused for what was sent (422): a form shows the errors beside its fields.</summary>
    public bool IsInvalid => Error?.StatusCode == StatusCodes.Status422UnprocessableEntity;

    public IReadOnlyList<ApiError> Errors => Error?.Errors ?? [];

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(ApiErrorResult error) => new(default, error);

    public IResult ToApiResult(Func<T, IResult> succeeded) => Error ?? succeeded(Value!);
}
