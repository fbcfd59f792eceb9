using System.Net;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Register.Access.Contracts;
using Xunit;

namespace Register.TestKit;

/// <summary>
/// A person using the pages over plain HTTP: a cookie jar, no automatic redirects, HTML parsed with AngleSharp, and forms
/// posted the way a browser posts them (with the anti-forgery token of the form on the page).
/// </summary>
public sealed class WebSession(HttpClient client, CookieContainer cookies)
{
    public const string Password = "correct horse battery staple";

    public HttpClient Client => client;

    /// <summary>Someone not signed in.</summary>
    public static WebSession Anonymous(RegisterFactory factory)
    {
        var jar = new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler();
        var client = factory.CreateDefaultClient(jar);
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml");
        return new WebSession(client, jar.Container);
    }

    /// <summary>The cookies this person's browser holds.</summary>
    public IReadOnlyList<Cookie> Cookies() => cookies.GetAllCookies().ToList();

    /// <summary>
    /// A new user of <paramref name="role"/> (<c>support</c> or <c>api_user</c>), added as the command line adds one,
    /// who sets their password through the one-time link and is then signed in.
    /// </summary>
    public static async Task<WebSession> SignInAsync(RegisterFactory factory, string role = "support", string? firstName = null, bool systemAdmin = false) =>
        await SignInAsync(factory, role, firstName, systemAdmin, providerId: null);

    /// <summary>A new provider user of <paramref name="providerId"/> (a provider the Providers module has), signed in.</summary>
    public static Task<WebSession> SignInAsProviderUserAsync(RegisterFactory factory, Guid providerId, string? firstName = null) =>
        SignInAsync(factory, "provider", firstName ?? "Pat", systemAdmin: false, providerId);

    private static async Task<WebSession> SignInAsync(RegisterFactory factory, string role, string? firstName, bool systemAdmin, Guid? providerId)
    {
        var first = firstName ?? (role == "api_user" ? "Api" : "Sam");
        var domain = role == "provider" ? "provider.example.ac.uk" : "education.gov.uk";
        var email = $"{first.ToLowerInvariant().Replace(' ', '.')}.{Guid.NewGuid().ToString("N")[..10]}@{domain}";
        await using var scope = factory.Services.CreateAsyncScope();
        var added = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new AddUser(first, "Tester", email, role, systemAdmin, providerId));
        var session = Anonymous(factory);
        var response = await session.SubmitAsync(added.SignInPath!, new() { ["password"] = Password, ["password_confirmation"] = Password });
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        session.UserId = added.Id;
        session.Email = email;
        return session;
    }

    public Guid UserId { get; private set; }

    public string Email { get; private set; } = "";

    /// <summary>GETs a page, checks its status and parses it.</summary>
    public async Task<IHtmlDocument> GetAsync(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await client.GetAsync(url);
        Assert.True(expected == response.StatusCode, $"GET {url}: expected {(int)expected}, got {(int)response.StatusCode} {response.Headers.Location}");
        return await ParseAsync(response);
    }

    public static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response)
    {
        var context = BrowsingContext.New(Configuration.Default);
        var html = await response.Content.ReadAsStringAsync();
        return (IHtmlDocument)await context.OpenAsync(request => request.Content(html).Address(response.RequestMessage?.RequestUri?.ToString() ?? "http://localhost/"));
    }

    /// <summary>
    /// Opens <paramref name="pageUrl"/>, fills its form (the one posting to <paramref name="action"/>, or the page's only
    /// form) with <paramref name="fields"/> on top of what it holds, and posts it.
    /// </summary>
    public async Task<HttpResponseMessage> SubmitAsync(string pageUrl, Dictionary<string, string>? fields = null, string? action = null) =>
        await SubmitAsync(await GetAsync(pageUrl), fields, action, pageUrl);

    /// <summary>Fills and posts a form of a page already in hand (one shown in answer to a post, such as a list of matches to choose from).</summary>
    public async Task<HttpResponseMessage> SubmitAsync(IHtmlDocument page, Dictionary<string, string>? fields = null, string? action = null, string? pageUrl = null)
    {
        var forms = page.Forms.Where(f => f.Method.Equals("post", StringComparison.OrdinalIgnoreCase)).ToList();
        var form = action is null
            ? forms.Single(f => f.GetAttribute("action") != "/sign-out") // the navigation's sign-out form is on every signed-in page
            : forms.Single(f => new Uri(new Uri("http://localhost"), f.GetAttribute("action")).AbsolutePath == action.Split('?')[0]);
        var values = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements.OfType<IHtmlInputElement>())
        {
            if (element.Type is "submit" or "button" || string.IsNullOrEmpty(element.Name))
            {
                continue;
            }

            if (element.Type is "radio" or "checkbox")
            {
                if (element.IsChecked && fields?.ContainsKey(element.Name) != true)
                {
                    values.Add(new(element.Name, element.Value ?? "on"));
                }

                continue;
            }

            if (fields?.ContainsKey(element.Name) != true)
            {
                values.Add(new(element.Name, element.Value ?? ""));
            }
        }

        foreach (var (name, value) in fields ?? [])
        {
            foreach (var one in value.Split('\u001f'))
            {
                values.Add(new(name, one));
            }
        }

        var target = form.GetAttribute("action") ?? pageUrl ?? throw new InvalidOperationException("The form has no action and the page no address.");
        return await client.PostAsync(target, new FormUrlEncodedContent(values));
    }

    /// <summary>
    /// Posts a page's multipart form (the one posting to <paramref name="action"/>, or the page's only one) with a file in
    /// <paramref name="field"/>, as a browser does: no file chosen (<paramref name="content"/> null) is an empty part without a name.
    /// </summary>
    public async Task<HttpResponseMessage> UploadAsync(IHtmlDocument page, string field, byte[]? content, string fileName = "trainees.csv", string? action = null, string contentType = "text/csv")
    {
        var form = page.Forms.Where(f => f.Method.Equals("post", StringComparison.OrdinalIgnoreCase) && f.Enctype == "multipart/form-data")
            .Single(f => action is null || new Uri(new Uri("http://localhost"), f.GetAttribute("action")).AbsolutePath == action);
        var body = new MultipartFormDataContent();
        foreach (var hidden in form.Elements.OfType<IHtmlInputElement>().Where(e => e.Type == "hidden" && !string.IsNullOrEmpty(e.Name)))
        {
            body.Add(new StringContent(hidden.Value ?? ""), hidden.Name!);
        }

        var file = new ByteArrayContent(content ?? []);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(content is null ? "application/octet-stream" : contentType);
        file.Headers.ContentDisposition = new System.Net.Http.Headers.ContentDispositionHeaderValue("form-data") { Name = $"\"{field}\"", FileName = content is null ? "\"\"" : $"\"{fileName}\"" };
        body.Add(file);
        return await client.PostAsync(form.GetAttribute("action"), body);
    }

    /// <summary>Several values for one name (checkboxes).</summary>
    public static string Many(params string[] values) => string.Join('\u001f', values);

    /// <summary>Posts without a form (no anti-forgery token), as a forged request would.</summary>
    public Task<HttpResponseMessage> PostWithoutTokenAsync(string url, Dictionary<string, string>? fields = null) =>
        client.PostAsync(url, new FormUrlEncodedContent(fields ?? []));
}

public static class HtmlAssertions
{
    /// <summary>The messages of the page's GOV.UK error summary.</summary>
    public static IReadOnlyList<string> ErrorSummary(this IDocument page) =>
        page.QuerySelectorAll(".govuk-error-summary__list li").Select(li => li.TextContent.Trim()).ToList();

    /// <summary>The message beside a field, without its "Error:" prefix.</summary>
    public static string? FieldError(this IDocument page, string id) =>
        page.GetElementById($"{id}-error")?.TextContent.Replace("Error:", "", StringComparison.Ordinal).Trim();

    public static string Heading(this IDocument page) => page.QuerySelector("h1")?.TextContent.Trim() ?? "";

    public static string? Flash(this IDocument page) => page.QuerySelector(".govuk-notification-banner__heading")?.TextContent.Trim();

    public static string Text(this IDocument page) => System.Text.RegularExpressions.Regex.Replace(page.Body?.TextContent ?? "", @"\s+", " ");
}
