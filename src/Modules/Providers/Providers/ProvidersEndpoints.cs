using Carter;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;
using Register.Providers.Features.Accreditations;
using Register.Providers.Features.Addresses;
using Register.Providers.Features.Contacts;
using Register.Providers.Features.Providers;
using Register.Providers.Features.ProvidersApi;

namespace Register.Providers;

/// <summary>The Providers module's endpoints: its table of contents, one line a slice.</summary>
public sealed class ProvidersEndpoints : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var support = app.MapApi(ApiDefinition.Support).WithTags("Providers");
        ListProviders.Map(support);
        GetProvider.Map(support);
        CreateProvider.Map(support);
        UpdateProvider.Map(support);
        ChangeProviderState.Map(support);

        var parts = app.MapApi(ApiDefinition.Support).WithTags("Provider accreditations, addresses and contacts");
        AddAccreditation.Map(parts);
        UpdateAccreditation.Map(parts);
        DeleteAccreditation.Map(parts);
        AddAddress.Map(parts);
        UpdateAddress.Map(parts);
        DeleteAddress.Map(parts);
        AddContact.Map(parts);
        UpdateContact.Map(parts);
        DeleteContact.Map(parts);

        var pages = app.MapWeb(WebPolicies.Support);
        ProvidersPage.Map(pages);
        AddProviderPage.Map(pages);
        ProviderPage.Map(pages);
        EditProviderPage.Map(pages);
        ChangeProviderStatePages.Map(pages);
        AccreditationPages.Map(pages);
        AddressPages.Map(pages);
        ContactPages.Map(pages);

        var v0 = app.MapApi(ApiDefinition.ProvidersV0).WithTags("Providers API");
        GetProvidersApiInfo.Map(v0, "v0", latest: "v0");
        ListProvidersV0.Map(v0);

        var v1 = app.MapApi(ApiDefinition.ProvidersV1).WithTags("Providers API");
        GetProvidersApiInfo.Map(v1, "v1", latest: "v1");
        ListProvidersV1.Map(v1);
    }
}
