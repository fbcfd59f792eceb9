using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

using Register.BuildingBlocks.Contracts;

namespace Register.BuildingBlocks.Http;

/// <summary>
/// Validates the <typeparamref name="TRequest"/> argument of an endpoint with its FluentValidation
/// validator; a failure answers 422 with one error per rule broken, each naming its field.
/// </summary>
public sealed class ValidationFilter<TRequest> : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.Arguments.OfType<TRequest>().FirstOrDefault();
        if (request is null)
        {
            return ApiErrors.BadRequest("A JSON request body is required");
        }

        var validator = context.HttpContext.RequestServices.GetRequiredService<IValidator<TRequest>>();
        var result = await validator.ValidateAsync(request, context.HttpContext.RequestAborted);
        return result.IsValid
            ? await next(context)
            : ApiErrors.Unprocessable(result.Errors.Select(e => new ApiError(e.PropertyName, e.ErrorMessage)).ToList());
    }
}

public static class ValidationFilterExtensions
{
    /// <summary>Validates the endpoint's <typeparamref name="TRequest"/> body before the handler runs.</summary>
    public static RouteHandlerBuilder Validate<TRequest>(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter<ValidationFilter<TRequest>>()
            .ProducesValidationErrors();

    public static RouteHandlerBuilder ProducesValidationErrors(this RouteHandlerBuilder builder) =>
        builder.Produces(StatusCodes.Status400BadRequest).Produces(StatusCodes.Status422UnprocessableEntity);
}

public static class ValidationConventions
{
    /// <summary>Validation errors name fields as the JSON does: <c>operating_name</c>, not <c>OperatingName</c>.</summary>
    public static void Apply()
    {
        ValidatorOptions.Global.PropertyNameResolver = (_, member, _) =>
            member is null ? null : SnakeCase.Instance.ConvertName(member.Name);
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) =>
            member is null ? null : SnakeCase.Instance.ConvertName(member.Name);
    }
}
