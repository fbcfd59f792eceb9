using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Register.BuildingBlocks.Email;
using Register.TestKit;

namespace Register.Access.Tests;

/// <summary>The provider's Users tab: support users invite, list and remove a provider's people; provider users stay off the support users' lists.</summary>
[Collection(AccessCollection.Name)]
public sealed partial class ProviderUserPagesTests(AccessFixture fixture) : ApiTest<AccessFixture>(fixture)
{
    [Fact]
    public async Task An_invited_person_gets_one_email_with_a_link_sets_a_password_and_lands_on_their_trainees()
    {
        var provider = await ProviderAsync();
        var support = await WebSession.SignInAsync(Api.Factory, firstName: "Sam");

        var empty = await support.GetAsync($"/providers/{provider}/users");
        Assert.Equal("University of Testing", empty.Heading());
        Assert.Equal("Users", empty.QuerySelector(".x-govuk-sub-navigation__link[aria-current=page], [aria-current=page]")?.TextContent.Trim());
        Assert.Contains("There are no users for University of Testing.", empty.Text());
        Assert.Equal($"/providers/{provider}/users/new", empty.QuerySelector("a.govuk-button")?.GetAttribute("href"));

        var invited = await support.SubmitAsync($"/providers/{provider}/users/new",
            new() { ["first_name"] = " Jo ", ["last_name"] = "Bloggs", ["email"] = "Jo.Bloggs@Uni.example.ac.uk" });
        Assert.Equal($"/providers/{provider}/users", invited.Headers.Location?.OriginalString);
        var list = await support.GetAsync($"/providers/{provider}/users");
        Assert.Equal("User invited", list.Flash());
        Assert.Equal("Users (1)", list.QuerySelector("h2.govuk-heading-m")?.TextContent.Trim());
        var row = list.QuerySelectorAll("tbody tr").Single().QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal(["Jo Bloggs", "jo.bloggs@uni.example.ac.uk", "Invited", "Never"], row.Take(4));

        var userId = await UserIdAsync("jo.bloggs@uni.example.ac.uk");
        await using (var connection = new NpgsqlConnection(Api.ConnectionString))
        {
            var outbox = (await connection.QueryAsync<(string Recipient, string Subject, string Body)>(
                "SELECT recipient, subject, body FROM email.outbox WHERE notice_key LIKE @key", new { key = $"invitation:{userId}%" })).ToList();
            var email = Assert.Single(outbox);
            Assert.Equal("jo.bloggs@uni.example.ac.uk", email.Recipient);
            Assert.Equal("You’ve been invited to Register trainee teachers", email.Subject);
            Assert.Contains("University of Testing", email.Body);
            Assert.DoesNotContain("rg_", email.Body); // the one-time link waits protected, not in the body
            Assert.Contains("((secret))", email.Body);
        }

        await Api.Factory.Services.GetRequiredService<EmailWorker>().SendDueAsync(CancellationToken.None);
        var file = Assert.Single(Directory.GetFiles(Api.Mailbox, $"*-invitation-{userId}.txt"));
        var text = await File.ReadAllTextAsync(file);
        Assert.Contains("To: jo.bloggs@uni.example.ac.uk", text);
        Assert.Contains("Subject: You’ve been invited to Register trainee teachers", text);
        var link = LinkIn(text);
        Assert.StartsWith("http://127.0.0.1:5080/sign-in/link?token=rg_", link);

        var invitee = WebSession.Anonymous(Api.Factory);
        var signedIn = await invitee.SubmitAsync(new Uri(link).PathAndQuery, new() { ["password"] = WebSession.Password, ["password_confirmation"] = WebSession.Password });
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        Assert.Equal("/trainees", signedIn.Headers.Location?.OriginalString);
        Assert.Equal("/trainees", (await invitee.Client.GetAsync("/")).Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await invitee.Client.GetAsync("/account")).StatusCode);
        foreach (var url in new[] { "/providers", $"/providers/{provider}", $"/providers/{provider}/users", $"/providers/{provider}/users/new", "/users" })
        {
            Assert.True(HttpStatusCode.Forbidden == (await invitee.Client.GetAsync(url)).StatusCode, url);
        }

        var after = await support.GetAsync($"/providers/{provider}/users");
        var cells = after.QuerySelectorAll("tbody tr td").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal("Active", cells[2]);
        Assert.NotEqual("Never", cells[3]);
        Assert.DoesNotContain("Resend invitation", after.Text());

        await Api.Factory.Services.GetRequiredService<EmailWorker>().SendDueAsync(CancellationToken.None);
        Assert.Single(Directory.GetFiles(Api.Mailbox, $"*-invitation-{userId}*.txt"));
    }

    [Fact]
    public async Task The_invite_form_shows_the_rules_messages()
    {
        var provider = await ProviderAsync();
        var support = await WebSession.SignInAsync(Api.Factory);
        var url = $"/providers/{provider}/users/new";

        var blank = await support.SubmitAsync(url, new() { ["first_name"] = " ", ["last_name"] = "", ["email"] = "" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, blank.StatusCode);
        var page = await WebSession.ParseAsync(blank);
        Assert.Equal(["Enter first name", "Enter last name", "Enter email address"], page.ErrorSummary());
        Assert.Equal("Enter first name", page.FieldError("first_name"));

        var bad = await WebSession.ParseAsync(await support.SubmitAsync(url, new() { ["first_name"] = "Jo", ["last_name"] = "Bloggs", ["email"] = "jo@" }));
        Assert.Equal("Enter an email address in the correct format, like name@example.com", bad.FieldError("email"));
        Assert.Equal("Jo", bad.QuerySelector("input[name=first_name]")?.GetAttribute("value"));

        var taken = await WebSession.ParseAsync(await support.SubmitAsync(url, new() { ["first_name"] = "Jo", ["last_name"] = "Bloggs", ["email"] = support.Email.ToUpperInvariant() }));
        Assert.Equal(["Email address already in use"], taken.ErrorSummary());
        Assert.Equal("Email address already in use", taken.FieldError("email"));

        Assert.Contains("There are no users", (await support.GetAsync($"/providers/{provider}/users")).Text());
        await support.GetAsync($"/providers/{Guid.NewGuid()}/users", HttpStatusCode.NotFound);
        await support.GetAsync($"/providers/{Guid.NewGuid()}/users/new", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Removing_a_user_ends_their_access_and_another_providers_user_is_not_found()
    {
        var token = await Api.SupportAsync($"Support {Guid.NewGuid():N}");
        var provider = (await token.CreateAsync(ProviderRequests.Hei())).Id();
        var other = (await token.CreateAsync(ProviderRequests.School())).Id();
        var support = await WebSession.SignInAsync(Api.Factory);
        var person = await WebSession.SignInAsProviderUserAsync(Api.Factory, provider, "Robin");
        var stranger = await WebSession.SignInAsProviderUserAsync(Api.Factory, other, "Alex");

        foreach (var path in new[] { $"/providers/{provider}/users/{stranger.UserId}/delete", $"/providers/{other}/users/{person.UserId}/delete", $"/providers/{provider}/users/{support.UserId}/delete" })
        {
            await support.GetAsync(path, HttpStatusCode.NotFound);
        }

        var list = await support.GetAsync($"/providers/{provider}/users");
        Assert.Equal($"/providers/{provider}/users/{person.UserId}/delete", list.QuerySelector("tbody a.govuk-link")?.GetAttribute("href"));
        var confirm = await support.GetAsync($"/providers/{provider}/users/{person.UserId}/delete");
        Assert.Equal("Are you sure you want to remove Robin Tester?", confirm.Heading());
        Assert.Equal(HttpStatusCode.NotFound, (await PostWithTokenAsync(support, confirm, $"/providers/{other}/users/{person.UserId}/delete")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostWithTokenAsync(support, confirm, $"/providers/{provider}/users/{stranger.UserId}/delete")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await person.Client.GetAsync("/account")).StatusCode);

        var removed = await support.SubmitAsync($"/providers/{provider}/users/{person.UserId}/delete");

        Assert.Equal($"/providers/{provider}/users", removed.Headers.Location?.OriginalString);
        var after = await support.GetAsync($"/providers/{provider}/users");
        Assert.Equal("User removed", after.Flash());
        Assert.DoesNotContain("Robin", after.Text());
        Assert.Equal(HttpStatusCode.Redirect, (await person.Client.GetAsync("/account")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await stranger.Client.GetAsync("/account")).StatusCode);
    }

    [Fact]
    public async Task Support_user_lists_pages_and_apis_leave_provider_users_out()
    {
        var provider = await ProviderAsync();
        var support = await WebSession.SignInAsync(Api.Factory);
        var person = await WebSession.SignInAsProviderUserAsync(Api.Factory, provider, "Robin");
        var api = await Api.SupportAsync($"Support {Guid.NewGuid():N}");

        var users = await support.GetAsync("/users");
        Assert.Equal("Users (1)", users.Heading());
        Assert.DoesNotContain("Robin", users.Text());
        foreach (var path in new[] { "", "/edit", "/delete" })
        {
            await support.GetAsync($"/users/{person.UserId}{path}", HttpStatusCode.NotFound);
        }

        var listed = await api.GetFromJsonAsync<JsonElement>("/support/users");
        Assert.Equal(1, listed.GetProperty("pagination").GetProperty("total_count").GetInt32());
        Assert.DoesNotContain(listed.GetProperty("data").EnumerateArray(), u => u.GetProperty("id").GetGuid() == person.UserId);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/support/users/{person.UserId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PatchAsJsonAsync($"/support/users/{person.UserId}", new { api_user = false })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.DeleteAsync($"/support/users/{person.UserId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await person.Client.GetAsync("/account")).StatusCode);
        Assert.Contains("Robin Tester", (await support.GetAsync($"/providers/{provider}/users")).Text());
    }

    [Fact]
    public async Task A_resent_invitation_is_a_new_email_whose_link_replaces_the_first()
    {
        var provider = await ProviderAsync();
        var support = await WebSession.SignInAsync(Api.Factory);
        await support.SubmitAsync($"/providers/{provider}/users/new", new() { ["first_name"] = "Kim", ["last_name"] = "Lee", ["email"] = "kim.lee@example.org" });
        var userId = await UserIdAsync("kim.lee@example.org");
        var worker = Api.Factory.Services.GetRequiredService<EmailWorker>();
        await worker.SendDueAsync(CancellationToken.None);
        var first = LinkIn(await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(Api.Mailbox, $"*-invitation-{userId}.txt"))));

        var resent = await support.SubmitAsync($"/providers/{provider}/users", action: $"/providers/{provider}/users/{userId}/invitation");

        Assert.Equal(HttpStatusCode.SeeOther, resent.StatusCode);
        Assert.Equal("Invitation sent to kim.lee@example.org", (await support.GetAsync($"/providers/{provider}/users")).Flash());
        await worker.SendDueAsync(CancellationToken.None);
        var second = LinkIn(await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(Api.Mailbox, $"*-invitation-{userId}-*.txt"))));
        Assert.NotEqual(first, second);
        var invitee = WebSession.Anonymous(Api.Factory);
        var old = await invitee.Client.GetAsync(new Uri(first).PathAndQuery);
        Assert.Contains("link", (await WebSession.ParseAsync(old)).Text(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty((await WebSession.ParseAsync(old)).QuerySelectorAll("input[name=password]"));
        Assert.Equal("/trainees", (await invitee.SubmitAsync(new Uri(second).PathAndQuery,
            new() { ["password"] = WebSession.Password, ["password_confirmation"] = WebSession.Password })).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task An_archived_providers_users_are_read_only()
    {
        var token = await Api.SupportAsync($"Support {Guid.NewGuid():N}");
        var provider = (await token.CreateAsync(ProviderRequests.Hei())).Id();
        var support = await WebSession.SignInAsync(Api.Factory);
        await WebSession.SignInAsProviderUserAsync(Api.Factory, provider, "Robin");
        Assert.True((await token.PostAsync($"/support/providers/{provider}/archive", null)).IsSuccessStatusCode);

        var list = await support.GetAsync($"/providers/{provider}/users");

        Assert.Contains("Archived", list.Heading());
        Assert.Null(list.QuerySelector("a.govuk-button"));
        Assert.Contains("Robin Tester", list.Text());
        Assert.DoesNotContain(list.Forms, f => f.GetAttribute("action")!.EndsWith("/invitation", StringComparison.Ordinal));
        await support.GetAsync($"/providers/{provider}/users/new", HttpStatusCode.Conflict);
    }

    /// <summary>Posts to <paramref name="url"/> with the anti-forgery token of a form on <paramref name="page"/>, as a tampered form would.</summary>
    private static Task<HttpResponseMessage> PostWithTokenAsync(WebSession session, AngleSharp.Html.Dom.IHtmlDocument page, string url)
    {
        var field = page.QuerySelectorAll("form[method=post] input[type=hidden]").First(i => i.GetAttribute("value") is { Length: > 0 });
        return session.Client.PostAsync(url, new FormUrlEncodedContent([new(field.GetAttribute("name")!, field.GetAttribute("value")!)]));
    }

    [GeneratedRegex(@"https?://\S+/sign-in/link\?token=\S+")]
    private static partial Regex Link();

    private static string LinkIn(string text) => Link().Match(text).Value;

    private async Task<Guid> ProviderAsync()
    {
        var token = await Api.SupportAsync($"Support {Guid.NewGuid():N}");
        return (await token.CreateAsync(ProviderRequests.Hei())).Id();
    }

    private async Task<Guid> UserIdAsync(string email)
    {
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        return await connection.ExecuteScalarAsync<Guid>("SELECT id FROM access.users WHERE email = @email", new { email });
    }
}
