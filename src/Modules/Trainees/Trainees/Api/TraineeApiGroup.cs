using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;
using Register.Trainees.Domain;
using Register.Trainees.Versions;

namespace Register.Trainees.Api;

/// <summary>One trainee API's routes: the group a slice maps into, the version it answers as, and its path (<c>v2026.1</c> or <c>v2026</c>).</summary>
internal sealed record TraineeApi(RouteGroupBuilder Group, TraineeApiVersion Version, string Path)
{
    /// <summary>An endpoint name unique across the versions and aliases: <c>CreateTrainee-v2026.1</c>.</summary>
    public string Name(string slice) => $"{slice}-{Path}";
}

/// <summary>
/// The route group of one trainee API version (<c>/api/v2026.1</c>, or a major alias such as <c>/api/v2026</c>): the
/// trainees_api token's provider must be one Register knows and has not deleted (else 401, as the reference answers
/// for a discarded provider); endpoints find it with <see cref="TrainingProvider"/>.
/// </summary>
internal static class TraineeApiGroup
{
    public static TraineeApi Map(IEndpointRouteBuilder app, string path, TraineeApiVersion version)
    {
        var definition = ApiDefinition.Trainees(path);
        // Control characters in a body are refused by the trainee rules, in the API's validation shape (RequestData).
        var group = app.MapApi(definition).WithTags($"Trainees API {version.Name}").WithMetadata(OwnTextRules.Instance);
        if (path != version.Name)
        {
            // The alias answers as its version does; only the versions themselves are in the OpenAPI documents.
            group.ExcludeFromDescription();
        }

        group.AddEndpointFilter(RequireKnownProviderAsync);
        return new TraineeApi(group, version, path);
    }

    /// <summary>The training provider whose token made the request.</summary>
    public static KnownProvider TrainingProvider(this HttpContext http) =>
        http.Items[typeof(KnownProvider)] as KnownProvider ?? throw new InvalidOperationException("The trainee API group resolves the provider first.");

    private static async ValueTask<object?> RequireKnownProviderAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return await next(context);
        }

        var organisation = http.Caller().OrganisationId;
        var provider = organisation is { } id
            ? await http.RequestServices.GetRequiredService<KnownProviderCache>().FindAsync(http.RequestServices.GetRequiredService<NpgsqlDataSource>(), id, http.RequestAborted)
            : null;
        if (provider is null || provider.Deleted)
        {
            return new UnauthorizedResult();
        }

        http.Items[typeof(KnownProvider)] = provider;
        return await next(context);
    }

    private sealed class UnauthorizedResult : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => ApiErrors.WriteUnauthorizedAsync(httpContext);
    }
}
