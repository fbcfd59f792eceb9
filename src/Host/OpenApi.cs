using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Register.BuildingBlocks.Security;
using Scalar.AspNetCore;

namespace Register.Host;

internal static class OpenApi
{
    public const string ReferencePath = "/docs";

    /// <summary>One OpenAPI document per API, generated from the endpoints, each with its bearer scheme.</summary>
    public static IServiceCollection AddRegisterOpenApi(this IServiceCollection services)
    {
        foreach (var api in ApiDefinition.All)
        {
            services.AddOpenApi(api.OpenApiDocument, options =>
            {
                options.ShouldInclude = description => description.GroupName == api.OpenApiDocument;
                options.AddOperationTransformer<OpenApiOperations>();
                options.AddDocumentTransformer((document, _, _) =>
                {
                    document.Info = new OpenApiInfo
                    {
                        Title = api.Title,
                        Version = api.OpenApiDocument,
                        Description = $"Every request needs `Authorization: Bearer <token>` with a token of the `{api.Audience}` audience.",
                    };
                    document.Components ??= new OpenApiComponents();
                    document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                    document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.Http,
                        Scheme = "bearer",
                        Description = $"A token of the {api.Audience} audience.",
                    };
                    document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] }];
                    return Task.CompletedTask;
                });
            });
            // Last, after the modules' own transformers (the trainee API renames fields per version): examples of what is left without.
            services.PostConfigure<OpenApiOptions>(api.OpenApiDocument, options => options.AddDocumentTransformer<OpenApiExamples>());
        }

        return services;
    }

    /// <summary>The documents at <c>/openapi/{name}.json</c> and a browsable reference (Scalar) at <c>/docs</c>.</summary>
    public static void MapRegisterOpenApi(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference(ReferencePath, options =>
        {
            options.WithTitle("Register API reference");
            foreach (var api in ApiDefinition.All)
            {
                options.AddDocument(api.OpenApiDocument, api.Title);
            }
        });
    }
}
