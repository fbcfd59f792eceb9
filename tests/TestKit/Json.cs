using System.Net.Http.Json;
using System.Text.Json;

namespace Register.TestKit;

public static class Json
{
    public static async Task<JsonElement> BodyAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    public static StringContent Raw(string body, string contentType = "application/json") =>
        new(body, System.Text.Encoding.UTF8, contentType);
}
