using Register.TestKit;

namespace Register.Providers.Tests;

public sealed class ProvidersFixture : ApiFixture;

[CollectionDefinition(Name)]
public sealed class ProvidersCollection : ICollectionFixture<ProvidersFixture>
{
    public const string Name = "providers";
}
