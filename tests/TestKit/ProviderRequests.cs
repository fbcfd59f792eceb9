using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Register.TestKit;

/// <summary>Requests that make valid providers, so each test states only what it is about.</summary>
public static class ProviderRequests
{
    public static Dictionary<string, object?> Hei(string code = "1AB", string name = "University of Testing") => new()
    {
        ["operating_name"] = name,
        ["legal_name"] = name + " Ltd",
        ["provider_type"] = "hei",
        ["accreditation_status"] = "unaccredited",
        ["code"] = code,
        ["ukprn"] = "10012345",
        ["onboarded_on"] = "2024-09-01",
    };

    public static Dictionary<string, object?> School(string code = "2CD", string name = "Oak Primary School") => new()
    {
        ["operating_name"] = name,
        ["provider_type"] = "school",
        ["accreditation_status"] = "unaccredited",
        ["code"] = code,
        ["ukprn"] = "10054321",
        ["urn"] = "123456",
        ["onboarded_on"] = "2024-09-01",
    };

    public static Dictionary<string, object?> Scitt(string code = "5EF", string name = "North Teaching Alliance SCITT") => new()
    {
        ["operating_name"] = name,
        ["provider_type"] = "scitt",
        ["accreditation_status"] = "accredited",
        ["code"] = code,
        ["ukprn"] = "10067890",
        ["urn"] = "54321",
        ["onboarded_on"] = "2024-09-01",
        ["accreditation"] = new { number = "5123", start_date = "2024-08-01" },
        ["address"] = new { address_line_1 = "1 High Street", town_or_city = "Leeds", postcode = "ls1 4ap" },
    };

    public static Dictionary<string, object?> With(this Dictionary<string, object?> request, string field, object? value)
    {
        request[field] = value;
        return request;
    }

    public static async Task<JsonElement> CreateAsync(this HttpClient support, Dictionary<string, object?> request)
    {
        var response = await support.PostAsJsonAsync("/support/providers", request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.BodyAsync()).GetProperty("data");
    }

    public static Guid Id(this JsonElement provider) => provider.GetProperty("id").GetGuid();

    public static string Text(this JsonElement element, string property) => element.GetProperty(property).ToString();

    public static async Task<IReadOnlyList<string>> MessagesAsync(this HttpResponseMessage response) =>
        (await response.BodyAsync()).GetProperty("errors").EnumerateArray().Select(e => $"{e.Text("field")}: {e.Text("message")}").ToList();
}
