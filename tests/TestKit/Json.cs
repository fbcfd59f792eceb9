using System.Net.Http.Json;
using System.Text.Json;

namespace Register.TestKit;

public static class Json
{
    /// <summary>The body as JSON; the content is buffered, so a test may read it again.</summary>
    public static async Task<JsonElement> BodyAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    public static StringContent Raw(string body, string contentType = "application/json") =>
        new(body, System.Text.Encoding.UTF8, contentType);
}

public static class Activity
{
    /// <summary>The items of one page of a timeline, newest first, across its day groups.</summary>
    public static async Task<List<JsonElement>> ItemsAsync(this HttpClient support, string url = "/support/activity")
    {
        var response = await support.GetAsync(url);
        response.EnsureSuccessStatusCode();
        return (await response.BodyAsync()).GetProperty("data").EnumerateArray().SelectMany(day => day.GetProperty("items").EnumerateArray()).ToList();
    }
}
