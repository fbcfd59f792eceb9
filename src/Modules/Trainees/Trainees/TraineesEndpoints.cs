using Carter;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.BuildingBlocks.Security;
using Register.Trainees.Api;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Web;
using Register.Trainees.Features.Degrees;
using Register.Trainees.Features.Erasure;
using Register.Trainees.Features.Info;
using Register.Trainees.Features.Lifecycle;
using Register.Trainees.Features.Placements;
using Register.Trainees.Features.ReferenceData;
using Register.Trainees.Features.Trainees;
using Register.Trainees.Features.TrsQueue;
using Register.Trainees.Features.Uploads;
using Register.Trainees.Versions;

namespace Register.Trainees;

/// <summary>
/// The Trainees module's endpoints: the Register API in every version side by side (<c>/api/v2025.0</c>, <c>/api/v2026.0</c>,
/// <c>/api/v2026.1</c>) and at the major-version URLs (<c>/api/v2025</c>, <c>/api/v2026</c>), one line a slice; what support
/// does to trainees (<c>/support/trainees</c>); and the provider users' pages: their trainees (<c>/trainees</c>) and "Bulk add new trainees" (<c>/bulk-update/add-trainees</c>).
/// </summary>
public sealed class TraineesEndpoints : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        if (!TraineeApiVersions.All.Select(v => v.Name).SequenceEqual(ApiDefinition.TraineeApiVersions))
        {
            throw new InvalidOperationException("Every version in ApiDefinition.TraineeApiVersions needs its descriptor in TraineeApiVersions, and no other.");
        }

        var support = app.MapApi(ApiDefinition.Support).WithTags("Trainees");
        EraseTrainee.Map(support);
        GetTrsQueueSummary.Map(support);
        ListTrsRequests.Map(support);
        RetryTrsRequest.Map(support);

        var supportPages = app.MapWeb(WebPolicies.Support);
        TrsRequestsPage.Map(supportPages);
        RetryTrsRequestPage.Map(supportPages);

        var providerPages = app.MapWeb(WebPolicies.Provider);
        TraineesPage.Map(providerPages);
        TraineePage.Map(providerPages);
        AddTraineesPage.Map(providerPages);
        UploadFieldsPage.Map(providerPages);
        TraineeUploadPage.Map(providerPages);

        var apis = TraineeApiVersions.All.Select(v => (v.Name, v)).Concat(TraineeApiVersions.MajorAliases);
        foreach (var (path, version) in apis)
        {
            var api = TraineeApiGroup.Map(app, path, version);
            GetTraineesApiInfo.Map(api);
            GetReferenceData.Map(api);

            ListTrainees.Map(api);
            GetTrainee.Map(api);
            CreateTrainee.Map(api);
            UpdateTrainee.Map(api);

            ListDegrees.Map(api);
            GetDegree.Map(api);
            SaveDegree.Map(api);
            DeleteDegree.Map(api);

            ListPlacements.Map(api);
            GetPlacement.Map(api);
            SavePlacement.Map(api);
            DeletePlacement.Map(api);

            WithdrawTrainee.Map(api);
            DeferTrainee.Map(api);
            RecommendTrainee.Map(api);

            if (version.TraineeUploads)
            {
                GetTraineeUploadTemplate.Map(api);
                CreateTraineeUpload.Map(api);
                ListTraineeUploads.Map(api);
                GetTraineeUpload.Map(api);
                ListTraineeUploadRows.Map(api);
                GetTraineeUploadReport.Map(api);
                MoveTraineeUpload.Map(api);
            }
        }
    }
}
