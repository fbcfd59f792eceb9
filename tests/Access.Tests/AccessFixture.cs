using Register.TestKit;

namespace Register.Access.Tests;

/// <summary>The Register and database shared by the tests of signing in, users and API clients.</summary>
public sealed class AccessFixture : ApiFixture;

[CollectionDefinition(Name)]
public sealed class AccessCollection : ICollectionFixture<AccessFixture>
{
    public const string Name = "access";
}
