using Carter;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.ActivityLog.Features.PersonalData;
using Register.ActivityLog.Features.Timelines;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;

namespace Register.ActivityLog;

/// <summary>
/// The ActivityLog module's endpoints: its table of contents, one line a slice. The log is append-only: nothing here edits it
/// (only an erasure's redaction and the retention of erased records' items do, ADR 16).
/// </summary>
public sealed class ActivityLogEndpoints : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var support = app.MapApi(ApiDefinition.Support).WithTags("Activity log");
        ListActivity.Map(support);
        ListProviderActivity.Map(support);
        ListTraineeActivity.Map(support);

        var pages = app.MapWeb(WebPolicies.Support);
        ActivityLogPage.Map(pages);

        var systemAdmins = app.MapWeb(WebPolicies.SystemAdmin);
        PersonalDataReadsPage.Map(systemAdmins);
    }
}
