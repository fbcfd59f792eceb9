using Register.TestKit;

namespace Register.Access.Tests;

/// <summary>The Register and database shared by the tests of signing in, users and API clients.</summary>
public sealed class AccessFixture : ApiFixture
{
    /// <summary>The folder this Register writes its emails to (no GOV.UK Notify in tests).</summary>
    public string Mailbox { get; } = Path.Combine(Path.GetTempPath(), $"register-access-mailbox-{Guid.NewGuid():N}");

    /// <summary>API usage is added to the database when a test flushes it (<c>ApiUsageRecorder.FlushAsync</c>), not on a timer.</summary>
    protected override IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Email:MailboxPath"] = Mailbox,
        ["ApiUsage:FlushInterval"] = "01:00:00",
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(Mailbox))
        {
            Directory.Delete(Mailbox, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AccessCollection : ICollectionFixture<AccessFixture>
{
    public const string Name = "access";
}
