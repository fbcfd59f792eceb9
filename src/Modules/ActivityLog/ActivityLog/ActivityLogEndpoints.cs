using Carter;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.ActivityLog.Features.ListActivity;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;

namespace Register.ActivityLog;

/// <summary>The ActivityLog module's endpoints: its table of contents, one line a slice.</summary>
public sealed class ActivityLogEndpoints : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var support = app.MapApi(ApiDefinition.Support).WithTags("Activity log");
        ListActivity.Map(support);
    }
}
