using System.Net;
using System.Net.Http.Json;
using Dapper;
using Npgsql;
using Register.TestKit;

namespace Register.Access.Tests;

[Collection(AccessCollection.Name)]
public sealed class UserPagesTests(AccessFixture fixture) : ApiTest<AccessFixture>(fixture)
{
    [Fact]
    public async Task Adding_a_user_goes_through_check_answers_and_shows_their_sign_in_link_once()
    {
        var support = await WebSession.SignInAsync(Api.Factory, firstName: "Sam");

        var empty = await WebSession.ParseAsync(await support.SubmitAsync("/users/new", new()));
        Assert.Equal(
            ["Enter first name", "Enter last name", "Enter email address", "Select if the account is an API user"],
            empty.ErrorSummary());
        var notDfe = await WebSession.ParseAsync(await support.SubmitAsync("/users/new",
            new() { ["first_name"] = "Ann", ["last_name"] = "Lee", ["email"] = "ann@example.com", ["api_user"] = "no" }));
        Assert.Equal("Enter a Department for Education email address in the correct format, like name@education.gov.uk", notDfe.FieldError("email"));
        var taken = await WebSession.ParseAsync(await support.SubmitAsync("/users/new",
            new() { ["first_name"] = "Ann", ["last_name"] = "Lee", ["email"] = support.Email.ToUpperInvariant(), ["api_user"] = "no" }));
        Assert.Equal("Email address already in use", taken.FieldError("email"));

        var step = await support.SubmitAsync("/users/new",
            new() { ["first_name"] = " Ann ", ["last_name"] = "Lee", ["email"] = "Ann.Lee@Digital.Education.gov.uk", ["api_user"] = "yes" });
        Assert.Equal("/users/new/check", step.Headers.Location?.OriginalString);
        var check = await support.GetAsync("/users/new/check");
        Assert.Contains("Ann", check.Text());
        Assert.Contains("ann.lee@digital.education.gov.uk", check.Text());
        var saved = await WebSession.ParseAsync(await support.SubmitAsync("/users/new/check"));

        Assert.Equal("User added", saved.QuerySelector(".govuk-panel__title")?.TextContent.Trim());
        var link = saved.GetElementById("sign-in-link")!.TextContent.Trim();
        Assert.Matches("^http://localhost/sign-in/link\\?token=rg_[A-Za-z0-9_-]{43}$", link);
        var list = await support.GetAsync("/users");
        Assert.Contains("Ann Lee", list.Text());
        Assert.Contains("API user", list.Text());

        var newcomer = WebSession.Anonymous(Api.Factory);
        var path = new Uri(link).PathAndQuery;
        Assert.Equal(HttpStatusCode.SeeOther, (await newcomer.SubmitAsync(path, new() { ["password"] = WebSession.Password, ["password_confirmation"] = WebSession.Password })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await newcomer.Client.GetAsync("/providers")).StatusCode);
        await newcomer.GetAsync("/api-clients");

        var activity = await (await Api.SupportAsync($"Support {Guid.NewGuid():N}")).GetFromJsonAsync<System.Text.Json.JsonElement>("/support/activity?record_type=user");
        var item = activity.GetProperty("data")[0].GetProperty("items").EnumerateArray().First(i => i.GetProperty("headline").GetString() == "User added" && i.GetProperty("byline").GetString()!.StartsWith("By Sam Tester", StringComparison.Ordinal));
        Assert.Contains(item.GetProperty("changes").EnumerateArray(), c => c.GetProperty("field").GetString() == "email" && c.GetProperty("new_value").GetString() == "ann.lee@digital.education.gov.uk");
    }

    [Fact]
    public async Task A_new_sign_in_link_is_logged_and_using_it_ends_the_users_other_sessions()
    {
        var support = await WebSession.SignInAsync(Api.Factory, firstName: "Link");
        var colleague = await WebSession.SignInAsync(Api.Factory, firstName: "Forgot");
        await colleague.GetAsync("/account");

        var created = await WebSession.ParseAsync(await support.SubmitAsync($"/users/{colleague.UserId}", action: $"/users/{colleague.UserId}/sign-in-link"));
        var link = new Uri(created.GetElementById("sign-in-link")!.TextContent.Trim()).PathAndQuery;
        Assert.Equal(HttpStatusCode.OK, (await colleague.Client.GetAsync("/account")).StatusCode); // a link alone ends nothing
        var elsewhere = WebSession.Anonymous(Api.Factory);
        Assert.Equal(HttpStatusCode.SeeOther, (await elsewhere.SubmitAsync(link, new() { ["password"] = WebSession.Password, ["password_confirmation"] = WebSession.Password })).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await colleague.Client.GetAsync("/account")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.Client.GetAsync("/account")).StatusCode);
        var activity = await (await Api.SupportAsync($"Support {Guid.NewGuid():N}")).GetFromJsonAsync<System.Text.Json.JsonElement>($"/support/activity?record_type=user");
        Assert.Contains(activity.GetProperty("data")[0].GetProperty("items").EnumerateArray(),
            i => i.GetProperty("headline").GetString() == "User sign in link created" && i.GetProperty("byline").GetString()!.StartsWith("By Link Tester", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_one_changes_their_own_account_or_a_system_admins()
    {
        var support = await WebSession.SignInAsync(Api.Factory);
        var admin = await WebSession.SignInAsync(Api.Factory, firstName: "Admin", systemAdmin: true);

        var own = await support.GetAsync($"/users/{support.UserId}");
        Assert.Empty(own.QuerySelectorAll(".govuk-summary-list__actions"));
        Assert.DoesNotContain("Delete user", own.Text());
        await support.GetAsync($"/users/{support.UserId}/edit", HttpStatusCode.Forbidden);
        await support.GetAsync($"/users/{admin.UserId}/delete", HttpStatusCode.Forbidden);
        await support.GetAsync($"/users/{admin.UserId}/edit", HttpStatusCode.Forbidden);
        var adminPage = await support.GetAsync($"/users/{admin.UserId}");
        Assert.DoesNotContain(adminPage.Forms, f => f.GetAttribute("action")!.Contains("sign-in-link", StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_a_users_first_sign_in_only_their_role_and_status_change()
    {
        var support = await WebSession.SignInAsync(Api.Factory);
        var colleague = await WebSession.SignInAsync(Api.Factory, firstName: "Chris");
        await AddActiveUsersAsync(4);

        var edit = await support.GetAsync($"/users/{colleague.UserId}/edit");
        Assert.Null(edit.QuerySelector("input[name=first_name]"));
        Assert.Equal(HttpStatusCode.SeeOther, (await support.SubmitAsync($"/users/{colleague.UserId}/edit", new() { ["api_user"] = "yes", ["active"] = "yes" })).StatusCode);
        var saved = await support.SubmitAsync($"/users/{colleague.UserId}/check");

        Assert.Equal("/users", saved.Headers.Location?.OriginalString);
        Assert.Equal("User updated", (await support.GetAsync("/users")).Flash());
        Assert.Equal(HttpStatusCode.Forbidden, (await colleague.Client.GetAsync("/providers")).StatusCode);
        var api = await (await Api.SupportAsync($"Support {Guid.NewGuid():N}")).PatchAsJsonAsync($"/support/users/{colleague.UserId}", new { first_name = "Christopher" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, api.StatusCode);
        Assert.Contains("First name can only be changed by the person", await api.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Deactivating_keeps_four_active_users_and_withdraws_the_users_access()
    {
        var support = await WebSession.SignInAsync(Api.Factory);
        var apiUser = await WebSession.SignInAsync(Api.Factory, "api_user");
        await AddActiveUsersAsync(2);
        var token = await CreateClientAsApiUserAsync(apiUser);

        await support.SubmitAsync($"/users/{apiUser.UserId}/edit", new() { ["api_user"] = "yes", ["active"] = "no" });
        var refused = await support.SubmitAsync($"/users/{apiUser.UserId}/check");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("This change cannot be made", (await WebSession.ParseAsync(refused)).Heading());
        Assert.Contains("At least 4 active users must remain", (await WebSession.ParseAsync(refused)).Text());

        await AddActiveUsersAsync(1);
        var saved = await support.SubmitAsync($"/users/{apiUser.UserId}/check");

        Assert.Equal(HttpStatusCode.SeeOther, saved.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await apiUser.Client.GetAsync("/api-clients")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.WithToken(token).GetAsync("/api/v1/providers")).StatusCode);
    }

    [Fact]
    public async Task Deleting_a_user_confirms_first_and_the_fourth_deletion_in_three_minutes_is_refused()
    {
        var support = await WebSession.SignInAsync(Api.Factory);
        var others = new List<Guid>();
        for (var i = 0; i < 8; i++)
        {
            others.Add((await WebSession.SignInAsync(Api.Factory, firstName: $"Other {i}")).UserId);
        }

        var confirm = await support.GetAsync($"/users/{others[0]}/delete");
        Assert.Equal("Confirm you want to delete Other 0 Tester", confirm.Heading());
        Assert.Contains("Deleting a user is permanent – you cannot undo it.", confirm.Text());
        for (var i = 0; i < 3; i++)
        {
            var deleted = await support.SubmitAsync($"/users/{others[i]}/delete");
            Assert.Equal("/users", deleted.Headers.Location?.OriginalString);
        }

        var fourth = await support.SubmitAsync($"/users/{others[3]}/delete");

        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
        Assert.NotNull(fourth.Headers.RetryAfter);
        Assert.Equal("Too many requests", (await WebSession.ParseAsync(fourth)).Heading());
        await support.GetAsync($"/users/{others[0]}", HttpStatusCode.NotFound);
        await support.GetAsync($"/users/{others[3]}");
    }

    [Fact]
    public async Task An_api_user_and_a_signed_out_person_see_no_user_pages()
    {
        var apiUser = await WebSession.SignInAsync(Api.Factory, "api_user");
        var anonymous = WebSession.Anonymous(Api.Factory);

        foreach (var path in new[] { "/users", "/users/new", $"/users/{apiUser.UserId}" })
        {
            var page = await apiUser.GetAsync(path, HttpStatusCode.Forbidden);
            Assert.Equal("You are not authorised to see this page", page.Heading());
            Assert.Equal(HttpStatusCode.Redirect, (await anonymous.Client.GetAsync(path)).StatusCode);
        }
    }

    private async Task AddActiveUsersAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var response = await (await Api.SupportAsync($"Support {Guid.NewGuid():N}")).PostAsJsonAsync("/support/users",
                new { first_name = "Colleague", last_name = $"{i}", email = $"colleague.{Guid.NewGuid():N}@education.gov.uk", api_user = false });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
    }

    private static async Task<string> CreateClientAsApiUserAsync(WebSession apiUser)
    {
        var expires = DateTime.UtcNow.AddMonths(6);
        await apiUser.SubmitAsync("/api-clients/new", new()
        {
            ["name"] = $"Client {Guid.NewGuid():N}",
            ["expires_on-day"] = $"{expires.Day}",
            ["expires_on-month"] = $"{expires.Month}",
            ["expires_on-year"] = $"{expires.Year}",
        });
        var page = await WebSession.ParseAsync(await apiUser.SubmitAsync("/api-clients/new/check"));
        return page.GetElementById("token")!.TextContent.Trim();
    }
}
