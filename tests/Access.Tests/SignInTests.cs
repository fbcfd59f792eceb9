using System.Net;
using Dapper;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Register.Access.Contracts;
using Register.TestKit;

namespace Register.Access.Tests;

[Collection(AccessCollection.Name)]
public sealed class SignInTests(AccessFixture fixture) : ApiTest<AccessFixture>(fixture)
{
    [Fact]
    public async Task A_page_asks_a_signed_out_person_to_sign_in_and_comes_back_after()
    {
        var anonymous = WebSession.Anonymous(Api.Factory);

        var response = await anonymous.Client.GetAsync("/providers?search=leeds");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/sign-in?return_url=%2Fproviders%3Fsearch%3Dleeds", response.Headers.Location?.PathAndQuery);

        var added = await AddUserAsync("Jo", "Bloggs", "jo.bloggs@education.gov.uk");
        await SetPasswordAsync(WebSession.Anonymous(Api.Factory), added.SignInPath!);
        var signIn = await anonymous.SubmitAsync("/sign-in?return_url=%2Fproviders%3Fsearch%3Dleeds",
            new() { ["email"] = "Jo.Bloggs@education.gov.uk", ["password"] = WebSession.Password });
        Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);
        Assert.Equal("/providers?search=leeds", signIn.Headers.Location?.OriginalString);
        var account = await anonymous.GetAsync("/account");
        Assert.Contains("jo.bloggs@education.gov.uk", account.Text());
    }

    [Theory]
    [InlineData("%2F%2Fevil.example%2F")]
    [InlineData("%2F%5Cevil.example")]
    [InlineData("%2F%09%2Fevil.example")]
    [InlineData("%2F%0A%2Fevil.example")]
    [InlineData("https%3A%2F%2Fevil.example")]
    public async Task A_return_address_elsewhere_is_ignored(string returnUrl)
    {
        var email = $"ali.{Guid.NewGuid():N}@education.gov.uk";
        var added = await AddUserAsync("Ali", "Khan", email);
        var session = WebSession.Anonymous(Api.Factory);
        await SetPasswordAsync(WebSession.Anonymous(Api.Factory), added.SignInPath!);

        var response = await session.SubmitAsync($"/sign-in?return_url={returnUrl}", new() { ["email"] = email, ["password"] = WebSession.Password });

        Assert.Equal("/providers", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_wrong_password_shows_the_error_summary_and_five_in_a_row_lock_the_account()
    {
        var added = await AddUserAsync("Lee", "Wong", "lee.wong@education.gov.uk");
        await SetPasswordAsync(WebSession.Anonymous(Api.Factory), added.SignInPath!);
        var session = WebSession.Anonymous(Api.Factory);

        HttpResponseMessage response = null!;
        for (var i = 0; i < 5; i++)
        {
            response = await session.SubmitAsync("/sign-in", new() { ["email"] = "lee.wong@education.gov.uk", ["password"] = "not the password at all" });
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        }

        var page = await WebSession.ParseAsync(response);
        const string refusal = "Enter a correct email address and password. After 5 wrong passwords in a row, an account is locked for 15 minutes.";
        Assert.Equal([refusal], page.ErrorSummary());
        Assert.StartsWith("Error: Sign in", page.Title);
        var locked = await session.SubmitAsync("/sign-in", new() { ["email"] = "lee.wong@education.gov.uk", ["password"] = WebSession.Password });
        var unknown = await session.SubmitAsync("/sign-in", new() { ["email"] = "nobody@education.gov.uk", ["password"] = WebSession.Password });
        Assert.Equal([refusal], (await WebSession.ParseAsync(locked)).ErrorSummary());
        Assert.Equal([refusal], (await WebSession.ParseAsync(unknown)).ErrorSummary());
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        Assert.True(await connection.ExecuteScalarAsync<bool>("SELECT locked_until > now() FROM access.users WHERE id = @Id", new { added.Id }));
    }

    [Fact]
    public async Task Wrong_passwords_sent_at_once_all_count()
    {
        var added = await AddUserAsync("Par", "Allel", "par.allel@education.gov.uk");
        await SetPasswordAsync(WebSession.Anonymous(Api.Factory), added.SignInPath!);

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            WebSession.Anonymous(Api.Factory).SubmitAsync("/sign-in", new() { ["email"] = "par.allel@education.gov.uk", ["password"] = "wrong wrong wrong" })));

        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        Assert.True(await connection.ExecuteScalarAsync<bool>("SELECT locked_until > now() FROM access.users WHERE id = @Id", new { added.Id }));
    }

    [Fact]
    public async Task Blank_answers_name_their_fields()
    {
        var page = await WebSession.ParseAsync(await WebSession.Anonymous(Api.Factory).SubmitAsync("/sign-in", new() { ["email"] = "", ["password"] = "" }));

        Assert.Equal(["Enter your email address", "Enter your password"], page.ErrorSummary());
        Assert.Equal("#email", page.QuerySelector(".govuk-error-summary__list a")!.GetAttribute("href"));
        Assert.Equal("Enter your email address", page.FieldError("email"));
    }

    [Fact]
    public async Task A_sign_in_link_sets_a_password_once_and_a_weak_one_is_refused()
    {
        var added = await AddUserAsync("Mo", "Farah", "mo.farah@education.gov.uk");
        var session = WebSession.Anonymous(Api.Factory);

        var weak = await WebSession.ParseAsync(await session.SubmitAsync(added.SignInPath!, new() { ["password"] = "short", ["password_confirmation"] = "short" }));
        var mismatch = await WebSession.ParseAsync(await session.SubmitAsync(added.SignInPath!, new() { ["password"] = WebSession.Password, ["password_confirmation"] = "something else entirely" }));
        var set = await session.SubmitAsync(added.SignInPath!, new() { ["password"] = WebSession.Password, ["password_confirmation"] = WebSession.Password });

        Assert.Equal(["Your password must be at least 12 characters"], weak.ErrorSummary());
        Assert.Equal(["The passwords do not match"], mismatch.ErrorSummary());
        Assert.Equal(HttpStatusCode.SeeOther, set.StatusCode);
        Assert.Equal("Your password is set", (await session.GetAsync("/account")).Flash());
        await WebSession.Anonymous(Api.Factory).GetAsync(added.SignInPath!, HttpStatusCode.Gone);
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        var stored = await connection.QuerySingleAsync<string>("SELECT password_hash FROM access.users WHERE id = @Id", new { added.Id });
        Assert.StartsWith("pbkdf2-sha256$1000$", stored);
        Assert.DoesNotContain(WebSession.Password, stored);
    }

    [Fact]
    public async Task Signing_out_ends_the_session_on_the_server_too()
    {
        var session = await WebSession.SignInAsync(Api.Factory);
        await session.GetAsync("/account");
        var stolen = Api.Factory.CreateDefaultClient();
        stolen.DefaultRequestHeaders.Add("Cookie", string.Join("; ", session.Cookies().Select(c => $"{c.Name}={c.Value}")));
        Assert.Equal(HttpStatusCode.OK, (await stolen.GetAsync("/account")).StatusCode);

        Assert.Equal(HttpStatusCode.BadRequest, (await session.PostWithoutTokenAsync("/sign-out")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/account")).StatusCode);
        var signOut = await session.SubmitAsync("/account", action: "/sign-out");

        Assert.Equal("/sign-in", signOut.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await session.Client.GetAsync("/account")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await stolen.GetAsync("/account")).StatusCode);
    }

    [Fact]
    public async Task A_session_idle_for_two_hours_ends()
    {
        var session = await WebSession.SignInAsync(Api.Factory);
        await session.GetAsync("/account");
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        await connection.ExecuteAsync("UPDATE access.user_sessions SET last_seen_at = now() - interval '2 hours 1 minute' WHERE user_id = @UserId", new { session.UserId });

        var response = await session.Client.GetAsync("/account");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/sign-in", response.Headers.Location?.PathAndQuery);
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM access.user_sessions WHERE user_id = @UserId AND ended_at IS NOT NULL", new { session.UserId }));
    }

    [Fact]
    public async Task A_form_posted_without_its_anti_forgery_token_is_refused_and_changes_nothing()
    {
        var added = await AddUserAsync("Eve", "Adams", "eve.adams@education.gov.uk");

        var response = await WebSession.Anonymous(Api.Factory).PostWithoutTokenAsync(added.SignInPath!, new() { ["password"] = WebSession.Password, ["password_confirmation"] = WebSession.Password });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Sorry, there is a problem with the form", (await WebSession.ParseAsync(response)).Heading());
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        Assert.Null(await connection.ExecuteScalarAsync<string?>("SELECT password_hash FROM access.users WHERE id = @Id", new { added.Id }));
    }

    [Fact]
    public async Task An_inactive_account_cannot_sign_in()
    {
        var added = await AddUserAsync("In", "Active", "in.active@education.gov.uk");
        await SetPasswordAsync(WebSession.Anonymous(Api.Factory), added.SignInPath!);
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        await connection.ExecuteAsync("UPDATE access.users SET active = false WHERE id = @Id", new { added.Id });

        var response = await WebSession.Anonymous(Api.Factory).SubmitAsync("/sign-in", new() { ["email"] = "in.active@education.gov.uk", ["password"] = WebSession.Password });

        Assert.Equal("/unauthorised", response.Headers.Location?.OriginalString);
        var page = await WebSession.Anonymous(Api.Factory).GetAsync("/unauthorised", HttpStatusCode.Forbidden);
        Assert.Equal("Your account is not authorised", page.Heading());
    }

    private async Task<AddedUser> AddUserAsync(string first, string last, string email)
    {
        await using var scope = Api.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(new AddUser(first, last, email, "support", false));
    }

    private static async Task SetPasswordAsync(WebSession session, string link)
    {
        var response = await session.SubmitAsync(link, new() { ["password"] = WebSession.Password, ["password_confirmation"] = WebSession.Password });
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
    }
}
