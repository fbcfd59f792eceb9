using Register.TestKit;

namespace Register.Clients.Tests;

/// <summary>Register on a real socket: the generated clients talk to it over HTTP, as a vendor's code would.</summary>
public sealed class ClientsFixture : ApiFixture
{
    protected override bool ListensOnSocket => true;

    /// <summary>A plain HTTP client for Register's address, carrying a token: what a vendor hands to a generated client.</summary>
    public HttpClient Vendor(string token)
    {
        var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}

[CollectionDefinition(Name)]
public sealed class ClientsCollection : ICollectionFixture<ClientsFixture>
{
    public const string Name = "Clients";
}
