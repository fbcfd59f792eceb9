using Register.TestKit;

namespace Register.Clients.Tests;

/// <summary>The generated clients in <c>Generated/</c> are what NSwag makes of the documents Register serves now.</summary>
[Collection(ClientsCollection.Name)]
public sealed class GeneratedClientTests(ClientsFixture fixture) : ApiTest<ClientsFixture>(fixture)
{
    /// <summary>Set to 1 (scripts/generate-clients.sh does) to write the clients again instead of comparing.</summary>
    private const string WriteVariable = "REGISTER_WRITE_CLIENTS";

    [Fact]
    public async Task The_generated_clients_are_made_from_the_current_documents()
    {
        var stale = new List<string>();
        foreach (var (document, className, @namespace) in ClientGeneration.Clients)
        {
            var json = await Api.Anonymous().GetStringAsync($"/openapi/{document}.json");
            var code = await ClientGeneration.GenerateAsync(json, className, @namespace);
            var path = ClientGeneration.PathOf(className);
            if (Environment.GetEnvironmentVariable(WriteVariable) == "1")
            {
                await File.WriteAllTextAsync(path, code);
                continue;
            }

            if (!File.Exists(path) || (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n") != code)
            {
                stale.Add(Path.GetFileName(path));
            }
        }

        Assert.True(stale.Count == 0, $"Generated from an older document: {string.Join(", ", stale)}. Run scripts/generate-clients.sh.");
    }
}
