using Register.TestKit;

namespace Register.Host.Tests;

/// <summary>The Register and database shared by the foundation's HTTP tests.</summary>
public sealed class HostFixture : ApiFixture;

[CollectionDefinition(Name)]
public sealed class HostCollection : ICollectionFixture<HostFixture>
{
    public const string Name = "host";
}
