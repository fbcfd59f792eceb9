using System.Net.Http.Json;
using Register.Clients.LeadProvider;
using Register.TestKit;

namespace Register.Clients.Tests;

/// <summary>A lead provider's code, generated from <c>/openapi/lead-provider-v3.json</c>, confirms a partnership and lists it.</summary>
[Collection(ClientsCollection.Name)]
public sealed class LeadProviderClientTests(ClientsFixture fixture) : ApiTest<ClientsFixture>(fixture)
{
    [Fact]
    public async Task A_generated_client_creates_and_lists_a_partnership()
    {
        var support = await Api.SupportAsync();
        var year = DateTime.UtcNow.Month >= 6 ? DateTime.UtcNow.Year : DateTime.UtcNow.Year - 1;
        (await support.PostAsJsonAsync("/support/cohorts", new { year, started_on = $"{year}-06-01", finished_on = $"{year + 1}-05-31", enabled = true })).EnsureSuccessStatusCode();
        async Task<Guid> Create(string path, object body) => (await (await support.PostAsJsonAsync(path, body)).BodyAsync()).GetProperty("data").Id();
        var leadProvider = await Create("/support/lead-providers", new { name = "Client LP" });
        var deliveryPartner = await Create("/support/delivery-partners", new { name = "Client DP" });
        (await support.PostAsJsonAsync($"/support/lead-providers/{leadProvider}/delivery-partner-contracts", new { delivery_partner_id = deliveryPartner, cohort = year })).EnsureSuccessStatusCode();
        var school = await Create("/support/schools", new { urn = "123456", name = "Client School", gias_status = "open", type_name = "Community school" });
        var client = new LeadProviderClient(Api.Vendor(await Api.CreateTokenAsync(support, "lead_provider_api", leadProvider)));

        var created = await client.CreateLeadProviderPartnershipAsync(null, new PartnershipRequest
        {
            Data = new PartnershipRequestData
            {
                Type = "partnership",
                Attributes = new PartnershipRequestAttributes { Cohort = year.ToString(System.Globalization.CultureInfo.InvariantCulture), School_id = school, Delivery_partner_id = deliveryPartner },
            },
        });
        var listed = await client.ListLeadProviderPartnershipsAsync(year.ToString(System.Globalization.CultureInfo.InvariantCulture), null, null, "-created_at", 1, 10, null);

        Assert.Equal("partnership", created.Data.Type);
        Assert.Equal(school, created.Data.Attributes!.School_id);
        Assert.Equal("Client DP", created.Data.Attributes!.Delivery_partner_name);
        var only = Assert.Single(listed.Data);
        Assert.Equal(created.Data.Id, only.Id);
        Assert.Equal("123456", only.Attributes!.Urn);

        var refused = await Assert.ThrowsAsync<ApiException<LeadProviderErrors>>(() => client.CreateLeadProviderPartnershipAsync(null, new PartnershipRequest
        {
            Data = new PartnershipRequestData
            {
                Type = "partnership",
                Attributes = new PartnershipRequestAttributes { Cohort = year.ToString(System.Globalization.CultureInfo.InvariantCulture), School_id = school, Delivery_partner_id = deliveryPartner },
            },
        }));
        Assert.Equal(422, refused.StatusCode);
        Assert.NotEmpty(refused.Result.Errors);
    }
}
