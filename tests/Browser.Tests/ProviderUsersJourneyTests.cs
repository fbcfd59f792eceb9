using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Register.BuildingBlocks.Email;
using Register.TestKit;

namespace Register.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed partial class ProviderUsersJourneyTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_support_user_invites_a_provider_user_who_signs_in_with_the_emailed_link_and_is_then_removed()
    {
        var support = await Api.SupportAsync("Support desk");
        var provider = (await support.CreateAsync(ProviderRequests.Hei("1IV", "Invite University"))).Id();
        var page = await SignInAsync(first: "Morgan");

        await GoAsync(page, $"/providers/{provider}");
        await ClickAsync(page, page.GetByRole(AriaRole.Navigation, new() { Name = "Provider navigation" }).GetByRole(AriaRole.Link, new() { Name = "Users", Exact = true }));
        Assert.Equal("Invite University", await HeadingAsync(page));
        Assert.Contains("There are no users for Invite University.", await page.InnerTextAsync("main"));
        await ClickLinkAsync(page, "Invite user");
        Assert.Equal("Invite user", await HeadingAsync(page));
        await ClickButtonAsync(page, "Invite user");
        Assert.Equal(["Enter first name", "Enter last name", "Enter email address"], await ErrorSummaryAsync(page));
        await page.GetByLabel("First name").FillAsync("Jo");
        await page.GetByLabel("Last name").FillAsync("Bloggs");
        await page.GetByLabel("Email address").FillAsync("jo.bloggs@invite.example.ac.uk");
        await ClickButtonAsync(page, "Invite user");
        Assert.Equal("User invited", await FlashAsync(page));
        Assert.Contains("jo.bloggs@invite.example.ac.uk", await page.InnerTextAsync("table"));
        Assert.Contains("Invited", await page.InnerTextAsync("table"));

        await Api.Factory.Services.GetRequiredService<EmailWorker>().SendDueAsync(CancellationToken.None);
        var email = await File.ReadAllTextAsync(Directory.GetFiles(Api.Mailbox, "*-invitation-*.txt").Single(f => File.ReadAllText(f).Contains("To: jo.bloggs@invite.example.ac.uk", StringComparison.Ordinal)));
        var link = Link().Match(email).Value;

        var invitee = await NewPageAsync();
        await GoAsync(invitee, new Uri(link).PathAndQuery);
        Assert.Equal("Set your password", await HeadingAsync(invitee));
        await invitee.GetByLabel("Password", new() { Exact = true }).FillAsync("a long enough passphrase");
        await invitee.GetByLabel("Confirm password").FillAsync("a long enough passphrase");
        await ClickButtonAsync(invitee, "Set password and sign in");
        Assert.EndsWith("/trainees", new Uri(invitee.Url).AbsolutePath);

        await GoAsync(page, $"/providers/{provider}/users");
        Assert.Contains("Active", await page.InnerTextAsync("table"));
        await ClickAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "Remove Jo Bloggs" }));
        Assert.Equal("Are you sure you want to remove Jo Bloggs?", await HeadingAsync(page));
        await ClickButtonAsync(page, "Remove user");
        Assert.Equal("User removed", await FlashAsync(page));
        Assert.Contains("There are no users for Invite University.", await page.InnerTextAsync("main"));
    }

    [GeneratedRegex(@"https?://\S+/sign-in/link\?token=\S+")]
    private static partial Regex Link();
}
