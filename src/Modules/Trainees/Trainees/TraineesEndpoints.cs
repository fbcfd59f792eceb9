using Carter;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;
using Register.Trainees.Features.TraineesApiInfo;

namespace Register.Trainees;

/// <summary>The Trainees module's endpoints: every version of the API, side by side, one line a slice.</summary>
public sealed class TraineesEndpoints : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        foreach (var version in ApiDefinition.TraineeApiVersions)
        {
            var api = app.MapApi(ApiDefinition.Trainees(version)).WithTags("Trainees API");
            GetTraineesApiInfo.Map(api, version);
        }
    }
}
