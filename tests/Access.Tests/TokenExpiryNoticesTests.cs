using System.Net.Http.Json;
using Dapper;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Register.Access.Contracts;
using Register.Access.Features.ApiTokens;
using Register.TestKit;

namespace Register.Access.Tests;

/// <summary>The daily reminders that an SRS API token expires: 1 month, 1 week and 1 day before, each once, to the provider's users.</summary>
[Collection(AccessCollection.Name)]
public sealed class TokenExpiryNoticesTests(AccessFixture fixture) : ApiTest<AccessFixture>(fixture)
{
    [Fact]
    public async Task Each_reminder_goes_once_to_every_active_user_of_the_tokens_provider()
    {
        // 07:30 UTC on 1 December 2026 (London is on GMT): after the job's 07:00.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 7, 30, 0, TimeSpan.Zero));
        var mailbox = Directory.CreateTempSubdirectory("register-mailbox-");
        await using var factory = new RegisterFactory(Api.ConnectionString, new Dictionary<string, string?>
        {
            ["Jobs:token_expiry_notices:Enabled"] = "false", // the test runs it
            ["Email:MailboxPath"] = mailbox.FullName,
            ["Email:ServiceUrl"] = "https://register.example",
        }, s => s.AddSingleton<TimeProvider>(clock));
        var support = factory.CreateClient();
        support.DefaultRequestHeaders.Authorization = (await Api.SupportAsync()).DefaultRequestHeaders.Authorization;
        var hei = await ApiTokenPagesTests.CreateAccreditedHeiAsync(support);
        var other = await ApiTokenPagesTests.CreateAccreditedHeiAsync(support, "2XY", "Other University", "10099999", "1235");
        await using var scope = factory.Services.CreateAsyncScope();
        var sender = scope.ServiceProvider.GetRequiredService<ISender>();
        var ann = await sender.Send(new AddUser("Ann", "Lee", "ann.lee@testing.ac.uk", "provider", false, hei));
        var bob = await sender.Send(new AddUser("Bob", "Kay", "bob.kay@testing.ac.uk", "provider", false, hei));
        var gone = await sender.Send(new AddUser("Cat", "Roe", "cat.roe@testing.ac.uk", "provider", false, hei));
        await sender.Send(new AddUser("Dan", "Fox", "dan.fox@other.ac.uk", "provider", false, other));
        await using (var db = new NpgsqlConnection(Api.ConnectionString))
        {
            await db.ExecuteAsync("UPDATE access.users SET active = false WHERE id = @Id", new { gone.Id });
        }

        var expiring = await sender.Send(new IssueApiToken("Acme SRS", "trainees_api", hei, new DateOnly(2026, 12, 31)));
        var revoked = await sender.Send(new IssueApiToken("Old SRS", "trainees_api", hei, new DateOnly(2026, 12, 20)));
        (await support.PostAsync($"/support/api-clients/{revoked.ClientId}/revoke", null)).EnsureSuccessStatusCode();
        var later = await sender.Send(new IssueApiToken("Other SRS", "trainees_api", other, new DateOnly(2027, 3, 1)));
        var job = factory.Services.GetRequiredService<TokenExpiryNotices>();

        Assert.Equal(2, await job.RunOnceAsync(default));
        Assert.Equal(0, await job.RunOnceAsync(default)); // run again (or by another process): nothing new

        var notices = await NoticesAsync(expiring.ClientId);
        Assert.Equal(
            [($"token-expiry:{expiring.ClientId}:1-month:{ann.Id}", "ann.lee@testing.ac.uk"), ($"token-expiry:{expiring.ClientId}:1-month:{bob.Id}", "bob.kay@testing.ac.uk")],
            notices.Select(n => (n.Key, n.To)).OrderBy(n => n.To).ToList());
        Assert.All(notices, n => Assert.Equal("Your Register API token ‘Acme SRS’ expires on 31 December 2026", n.Subject));
        Assert.All(notices, n => Assert.Contains("https://register.example/api-tokens", n.Body, StringComparison.Ordinal));
        Assert.Empty(await NoticesAsync(revoked.ClientId));
        Assert.Empty(await NoticesAsync(later.ClientId));

        // The email worker, woken, writes them to the mailbox.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (Directory.GetFiles(mailbox.FullName).Count(f => f.Contains(expiring.ClientId.ToString(), StringComparison.Ordinal)) < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "The email worker did not send the notices.");
            await Task.Delay(100);
        }

        var mail = await File.ReadAllTextAsync(Directory.GetFiles(mailbox.FullName).First(f => f.Contains(ann.Id.ToString(), StringComparison.Ordinal)));
        Assert.Contains("To: ann.lee@testing.ac.uk", mail, StringComparison.Ordinal);
        Assert.Contains("Subject: Your Register API token ‘Acme SRS’ expires on 31 December 2026", mail, StringComparison.Ordinal);

        // 23 days on, 7 days before: the 1-week reminder; the next day, nothing new; 1 day before, the 1-day one.
        clock.Advance(TimeSpan.FromDays(23));
        Assert.Equal(2, await job.RunOnceAsync(default));
        clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await job.RunOnceAsync(default));
        clock.Advance(TimeSpan.FromDays(5));
        Assert.Equal(2, await job.RunOnceAsync(default));
        clock.Advance(TimeSpan.FromDays(2)); // expired
        Assert.Equal(0, await job.RunOnceAsync(default));

        Assert.Equal(
            ["1-day", "1-day", "1-month", "1-month", "1-week", "1-week"],
            (await NoticesAsync(expiring.ClientId)).Select(n => n.Key.Split(':')[2]).Order().ToList());
        Assert.Empty(await NoticesAsync(revoked.ClientId));
    }

    [Theory]
    [InlineData("2026-12-01", "1-day")]
    [InlineData("2027-01-02", null)]
    [InlineData("2027-01-01", "1-month")]
    [InlineData("2026-12-09", "1-month")]
    [InlineData("2026-12-08", "1-week")]
    [InlineData("2026-12-03", "1-week")]
    [InlineData("2026-12-02", "1-day")]
    [InlineData("2026-11-30", null)]
    public void A_token_is_in_the_tightest_window_it_is_in(string expiresOn, string? window) =>
        Assert.Equal(window, TokenExpiryNotices.Window(DateOnly.Parse(expiresOn, System.Globalization.CultureInfo.InvariantCulture), new DateOnly(2026, 12, 1)));

    private async Task<IReadOnlyList<(string Key, string To, string Subject, string Body)>> NoticesAsync(Guid clientId)
    {
        await using var db = new NpgsqlConnection(Api.ConnectionString);
        return (await db.QueryAsync<(string, string, string, string)>(
            "SELECT notice_key, recipient, subject, body FROM email.outbox WHERE notice_key LIKE @prefix", new { prefix = $"token-expiry:{clientId}:%" })).ToList();
    }
}
