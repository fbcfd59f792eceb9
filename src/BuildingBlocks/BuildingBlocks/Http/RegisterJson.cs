using System.Text.Json;
using System.Text.Json.Serialization;

using Register.BuildingBlocks.Contracts;

namespace Register.BuildingBlocks.Http;

/// <summary>Register's JSON: snake_case names and enum values, ISO 8601 dates, unknown fields ignored.</summary>
public static class RegisterJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = SnakeCase.Instance;
        options.DictionaryKeyPolicy = SnakeCase.Instance;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.NumberHandling = JsonNumberHandling.Strict;
        return options;
    }
}
