using Carter;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;
using Register.Partnerships.Features.LeadProviderApi;
using Register.Partnerships.Features.LeadProviderData;
using Register.Partnerships.Features.ProviderPartnerships;

namespace Register.Partnerships;

/// <summary>
/// The Partnerships module's endpoints: its table of contents, one line a slice. Paths under <c>/api/v3</c>
/// without a slice answer the lead provider API's own 401 or 404 bodies (<c>ApiGroups.WriteUnmatchedAsync</c>).
/// </summary>
public sealed class PartnershipsEndpoints : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var support = app.MapApi(ApiDefinition.Support).WithTags("Provider partnerships");
        ListProviderPartnerships.Map(support);
        GetPartnership.Map(support);
        CreatePartnership.Map(support);
        UpdatePartnership.Map(support);
        DeletePartnership.Map(support);

        var pages = app.MapWeb(WebPolicies.Support);
        PartnershipsPage.Map(pages);
        AddPartnershipPages.Map(pages);
        EditPartnershipPages.Map(pages);

        var leadProviderData = app.MapApi(ApiDefinition.Support).WithTags("Lead provider API data");
        LeadProviderData.Map(leadProviderData);
        SchoolsAndTrainingPeriods.Map(leadProviderData);

        var leadProviderApi = app.MapApi(ApiDefinition.LeadProvider).WithTags("Lead provider API").AddEndpointFilter<SandboxClock>();
        Features.LeadProviderApi.Partnerships.Map(leadProviderApi);
        Schools.Map(leadProviderApi);
        DeliveryPartners.Map(leadProviderApi);
    }
}
