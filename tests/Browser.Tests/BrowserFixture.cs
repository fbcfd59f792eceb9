using Deque.AxeCore.Commons;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Register.Access.Contracts;
using Register.TestKit;

namespace Register.Browser.Tests;

/// <summary>
/// Register on a real socket and one headless Chromium (Debian's <c>chromium</c>, driven by Playwright for .NET; its own
/// browser download cannot work offline), shared by the journey tests.
/// </summary>
public sealed class BrowserFixture : ApiFixture
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    protected override bool ListensOnSocket => true;

    /// <summary>The folder this Register writes its emails to (no GOV.UK Notify in tests).</summary>
    public string Mailbox { get; } = Path.Combine(Path.GetTempPath(), $"register-browser-mailbox-{Guid.NewGuid():N}");

    protected override IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        // The journeys archive and delete more than three things in three minutes across tests.
        ["WebLimits:destructive:PermitLimit"] = "1000",
        ["Email:MailboxPath"] = Mailbox,
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _playwright = await Playwright.CreateAsync();
        var executable = Environment.GetEnvironmentVariable("CHROMIUM") ?? "/usr/bin/chromium";
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = [.. Environment.UserName == "root" ? ["--no-sandbox"] : Array.Empty<string>(),
                "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    public override async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        await base.DisposeAsync();
        if (Directory.Exists(Mailbox))
        {
            Directory.Delete(Mailbox, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}

/// <summary>
/// A journey test: a fresh browser context (no cookies), a signed-in person, and every page it lands on checked with axe-core
/// (no violation of serious or critical impact).
/// </summary>
public abstract partial class BrowserTest(BrowserFixture fixture) : ApiTest<BrowserFixture>(fixture)
{
    private readonly List<IBrowserContext> _contexts = [];

    /// <summary>Pages opened without JavaScript: axe cannot run in them, so their HTML is checked in <see cref="_checker"/>.</summary>
    private readonly Dictionary<IPage, string> _scriptless = [];

    private IPage? _checker;

    /// <summary>The pages checked with axe so far, for the message of a failure.</summary>
    protected List<string> Checked { get; } = [];

    public override async Task InitializeAsync()
    {
        Log($"start {GetType().Name}");
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync().WaitAsync(TimeSpan.FromSeconds(20));
        }

        if (_checker is not null)
        {
            await _checker.Context.CloseAsync().WaitAsync(TimeSpan.FromSeconds(20));
        }

        Log($"end {GetType().Name}");
    }

    /// <summary>With <c>REGISTER_BROWSER_TIMING=file</c>, what the journeys do and how long their pages take, for finding slow or stuck steps.</summary>
    protected static void Log(string line)
    {
        if (Environment.GetEnvironmentVariable("REGISTER_BROWSER_TIMING") is { } log)
        {
            File.AppendAllText(log, $"{DateTime.UtcNow:HH:mm:ss.fff} {line}\n");
        }
    }

    protected async Task<IPage> NewPageAsync(bool javaScript = true)
    {
        var context = await Api.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Api.BaseUrl, JavaScriptEnabled = javaScript, Locale = "en-GB" });
        context.SetDefaultTimeout(15_000);
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        if (!javaScript)
        {
            _scriptless[page] = "";
        }

        return page;
    }

    /// <summary>A new support user (or API user) who follows their sign-in link, sets a password and lands on their start page.</summary>
    protected async Task<IPage> SignInAsync(string role = "support", bool javaScript = true, string first = "Pat")
    {
        var email = $"{first.ToLowerInvariant()}.{Guid.NewGuid().ToString("N")[..8]}@education.gov.uk";
        await using var scope = Api.Factory.Services.CreateAsyncScope();
        var added = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new AddUser(first, "Browser", email, role, false));
        var page = await NewPageAsync(javaScript);
        await GoAsync(page, added.SignInPath!);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(WebSession.Password);
        await page.GetByLabel("Confirm password").FillAsync(WebSession.Password);
        await ClickAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Set password and sign in" }));
        return page;
    }

    protected async Task GoAsync(IPage page, string path)
    {
        var response = await page.GotoAsync(path);
        Assert.True(response?.Ok, $"GET {path}: {response?.Status}");
        await KeepHtmlAsync(page, response);
        await CheckAccessibilityAsync(page);
    }

    /// <summary>Remembers what a page without JavaScript was sent, for its accessibility check.</summary>
    protected async Task KeepHtmlAsync(IPage page, IResponse? response)
    {
        if (response is not null && _scriptless.ContainsKey(page))
        {
            _scriptless[page] = await response.TextAsync();
        }
    }

    /// <summary>Clicks something that loads a new page, then checks that page.</summary>
    protected async Task ClickAsync(IPage page, ILocator target)
    {
        try
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var response = await page.RunAndWaitForNavigationAsync(() => target.ClickAsync());
            Log($"click {watch.ElapsedMilliseconds} ms {page.Url}");
            await KeepHtmlAsync(page, response);
        }
        catch (TimeoutException)
        {
            var shot = Path.Combine(Path.GetTempPath(), $"register-browser-failure-{Guid.NewGuid():N}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
            throw new TimeoutException($"Clicking {target} on {page.Url} loaded no page (screenshot: {shot})");
        }

        await CheckAccessibilityAsync(page);
    }

    protected Task ClickButtonAsync(IPage page, string name) => ClickAsync(page, page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true }));

    /// <summary>Follows a link (or a link styled as a button) by its exact text.</summary>
    protected Task ClickLinkAsync(IPage page, string text) =>
        ClickAsync(page, page.Locator("a").Filter(new LocatorFilterOptions { HasTextRegex = new System.Text.RegularExpressions.Regex($"^\\s*{System.Text.RegularExpressions.Regex.Escape(text)}\\s*$") }).First);

    private static readonly string AxeScript = new BundledAxeScriptProvider().GetScript();

    private static readonly System.Text.Json.JsonSerializerOptions AxeJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    /// <summary>The pages already checked in one state (route, error summary or not, flash or not): checking them again tells nothing new.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> CheckedStates = new();

    /// <summary>
    /// No violation of serious or critical impact on the page as it is now (axe-core, every WCAG 2.x A and AA rule and its
    /// best practices). Each distinct page and state is checked once a run. One finding is GOV.UK Frontend's own, kept on
    /// purpose after research with screen reader users: <c>aria-expanded</c> on a radio or checkbox that reveals more
    /// questions (alphagov/govuk-frontend#979, a documented known issue); it is let through, and nothing else.
    /// </summary>
    protected async Task CheckAccessibilityAsync(IPage page)
    {
        var url = page.Url;
        Checked.Add(new Uri(url).PathAndQuery);
        var scriptless = _scriptless.TryGetValue(page, out var html);
        var state = scriptless
            ? $"{Ids().Replace(new Uri(page.Url).AbsolutePath, "{id}")}|{html!.Contains("govuk-error-summary\"", StringComparison.Ordinal)}|{html.Contains("govuk-notification-banner\"", StringComparison.Ordinal)}|no-js"
            : await page.EvaluateAsync<string>(
                "() => location.pathname.replace(/[0-9a-f-]{36}|rg_[A-Za-z0-9_-]+/g, '{id}') + '|' + !!document.querySelector('.govuk-error-summary') + '|' + !!document.querySelector('.govuk-notification-banner') + '|' + !!document.querySelector('.autocomplete__menu--visible')");
        if (!CheckedStates.TryAdd(state, true))
        {
            return;
        }

        if (scriptless)
        {
            // The same HTML, with its styles, in a page that runs scripts (axe needs them): it is laid out as the browser without JavaScript shows it.
            _checker ??= await (await Api.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Api.BaseUrl, JavaScriptEnabled = true })).NewPageAsync();
            await _checker.GotoAsync("/sign-in");
            await _checker.SetContentAsync(Regex.Replace(html!, "<script[^>]*>.*?</script>", "", RegexOptions.Singleline));
            page = _checker;
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe !== 'undefined'"))
        {
            await page.EvaluateAsync(AxeScript);
        }

        var json = await page.EvaluateAsync<string>(
            """
            async () => JSON.stringify((await axe.run(document, { resultTypes: ['violations'] })).violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => ({ target: n.target.join(' '), html: n.html })) })))
            """).WaitAsync(TimeSpan.FromSeconds(30));
        var violations = System.Text.Json.JsonSerializer.Deserialize<AxeViolation[]>(json, AxeJson)!;
        Log($"axe {watch.ElapsedMilliseconds} ms {url}");

        static bool IsConditionalReveal(AxeViolation v) =>
            v.Id == "aria-allowed-attr" && v.Nodes.All(n => n.Html.Contains("aria-expanded", StringComparison.Ordinal)
                && (n.Html.Contains("govuk-radios__input", StringComparison.Ordinal) || n.Html.Contains("govuk-checkboxes__input", StringComparison.Ordinal)));
        var serious = violations.Where(v => !IsConditionalReveal(v)).ToList();
        Assert.True(serious.Count == 0,
            $"{url}: {string.Join("; ", serious.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target))}"))}");
    }

    [System.Text.RegularExpressions.GeneratedRegex("[0-9a-f-]{36}|rg_[A-Za-z0-9_-]+")]
    private static partial System.Text.RegularExpressions.Regex Ids();

    private sealed record AxeNode(string Target, string Html);

    private sealed record AxeViolation(string Id, string Impact, string Help, AxeNode[] Nodes);

    /// <summary>How the pages label an academic year today: "2025 to 2026", with " - current", " - last" or " - next".</summary>
    protected static string YearLabel(int year)
    {
        var today = DateTime.UtcNow;
        var current = today.Month >= 8 ? today.Year : today.Year - 1;
        return $"{year} to {year + 1}" + (year - current) switch { 0 => " - current", -1 => " - last", 1 => " - next", _ => "" };
    }

    protected static async Task<string> HeadingAsync(IPage page) => (await page.Locator("h1").First.InnerTextAsync()).Trim();

    protected static async Task<IReadOnlyList<string>> ErrorSummaryAsync(IPage page) =>
        (await page.Locator(".govuk-error-summary__list li").AllInnerTextsAsync()).Select(t => t.Trim()).ToList();

    protected static async Task<string?> FlashAsync(IPage page) =>
        await page.Locator(".govuk-notification-banner__heading").CountAsync() > 0 ? (await page.Locator(".govuk-notification-banner__heading").InnerTextAsync()).Trim() : null;

    /// <summary>Presses Tab until the element matching <paramref name="selector"/> has the focus (keyboard-only use).</summary>
    protected static async Task TabToAsync(IPage page, string selector, int maxPresses = 120)
    {
        for (var i = 0; i < maxPresses; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>("s => document.activeElement && document.activeElement.matches(s)", selector))
            {
                return;
            }
        }

        Assert.Fail($"Tab never reached {selector} on {page.Url}");
    }

    /// <summary>Tabs to a text box and types into it.</summary>
    protected static async Task TypeIntoAsync(IPage page, string selector, string text)
    {
        await TabToAsync(page, selector);
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync(text);
    }

    /// <summary>Tabs to a radio or checkbox and ticks it with the space bar.</summary>
    protected static async Task TickAsync(IPage page, string selector)
    {
        await TabToAsync(page, selector);
        if (!await page.Locator(selector).IsCheckedAsync())
        {
            await page.Keyboard.PressAsync("Space");
        }
    }

    /// <summary>Tabs to a radio: the arrow keys move among a group's radios, so the first Tab lands on the group and Space picks it.</summary>
    protected static async Task PickRadioAsync(IPage page, string name, string value)
    {
        await TabToAsync(page, $"input[type=radio][name='{name}']");
        for (var i = 0; i < 10 && !await page.EvaluateAsync<bool>("v => document.activeElement.value === v", value); i++)
        {
            await page.Keyboard.PressAsync("ArrowDown");
        }

        await page.Keyboard.PressAsync("Space");
    }

    /// <summary>Tabs to a button (or a link styled as one) and presses Enter, waiting for the next page.</summary>
    protected async Task PressButtonAsync(IPage page, string text)
    {
        for (var i = 0; i < 120; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>(
                    "t => { const e = document.activeElement; return !!e && (e.tagName === 'BUTTON' || e.classList.contains('govuk-button')) && e.textContent.trim() === t; }", text))
            {
                await KeepHtmlAsync(page, await page.RunAndWaitForNavigationAsync(() => page.Keyboard.PressAsync("Enter")));
                await CheckAccessibilityAsync(page);
                return;
            }
        }

        Assert.Fail($"Tab never reached the button {text} on {page.Url}");
    }
}
