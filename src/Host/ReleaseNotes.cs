using System.Net;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Register.Host;

/// <summary>
/// The trainee API's release notes, one a version (<c>docs/release-notes</c>, embedded at build), served beside the API
/// reference: <c>/docs/release-notes</c> (the index) and <c>/docs/release-notes/v2026.1</c> as simple HTML pages, and each
/// as it is written with <c>.md</c> after its name (<c>text/markdown</c>). Links between the notes follow them to these paths.
/// </summary>
internal static class ReleaseNotes
{
    public const string Path = OpenApi.ReferencePath + "/release-notes";

    private const string Index = "README";

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().DisableHtml().Build();

    /// <summary>The notes by name (<c>README</c> is the index), as written.</summary>
    private static readonly Dictionary<string, string> Notes = Load();

    /// <summary>The versions that have notes, newest first.</summary>
    public static IReadOnlyList<string> Versions { get; } = [.. Notes.Keys.Where(k => k is not (Index or "index")).OrderDescending(StringComparer.Ordinal)];

    public static void MapReleaseNotes(this WebApplication app)
    {
        app.MapGet(Path, () => Page(Index)).ExcludeFromDescription();
        app.MapGet(Path + ".md", () => Markdown(Index)).ExcludeFromDescription();
        app.MapGet(Path + "/{name}", (string name) => name.EndsWith(".md", StringComparison.Ordinal) ? Markdown(name[..^3]) : Page(name))
            .ExcludeFromDescription();
    }

    private static IResult Markdown(string name) =>
        Notes.TryGetValue(name, out var markdown) ? Results.Text(markdown, "text/markdown; charset=utf-8") : NotFound();

    private static IResult Page(string name)
    {
        if (!Notes.TryGetValue(name, out var markdown))
        {
            return NotFound();
        }

        var document = Markdig.Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            link.Url = Href(link.Url);
        }

        var title = document.Descendants<HeadingBlock>().FirstOrDefault()?.Inline?.FirstChild?.ToString() ?? "Release notes";
        var body = document.ToHtml(Pipeline);
        return Results.Content(
            $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{(name is Index or "index" ? "" : WebUtility.HtmlEncode(title) + " – ")}}Register trainee API release notes</title>
            <style>
            body { font-family: system-ui, sans-serif; line-height: 1.5; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #0b0c0c; }
            table { border-collapse: collapse; margin: 1rem 0; } th, td { border: 1px solid #b1b4b6; padding: .3rem .6rem; text-align: left; vertical-align: top; }
            code { background: #f3f2f1; padding: 0 .2rem; } a { color: #1d70b8; }
            </style>
            </head>
            <body>
            <nav><a href="{{OpenApi.ReferencePath}}">API reference</a> · <a href="{{Path}}">Release notes</a> · <a href="{{Path}}/{{(name == Index ? "index" : name)}}.md">Markdown</a></nav>
            <main>
            {{body}}
            </main>
            </body>
            </html>
            """, "text/html; charset=utf-8");
    }

    private static IResult NotFound() =>
        Results.Text($"No such release notes. The versions: {string.Join(", ", Versions)}.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);

    /// <summary>A link to another note (<c>v2026.1.md</c>, <c>README.md</c>) goes to its page; any other link is left as it is.</summary>
    private static string? Href(string? url)
    {
        if (url is null || url.Contains(':', StringComparison.Ordinal) || url.Contains('/', StringComparison.Ordinal) || !url.EndsWith(".md", StringComparison.Ordinal))
        {
            return url;
        }

        var name = url[..^3];
        return name == Index ? Path : $"{Path}/{name}";
    }

    private static Dictionary<string, string> Load()
    {
        var assembly = typeof(ReleaseNotes).Assembly;
        var notes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith("release-notes.", StringComparison.Ordinal) && r.EndsWith(".md", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            notes[resource["release-notes.".Length..^3]] = reader.ReadToEnd();
        }

        notes["index"] = notes.GetValueOrDefault(Index, "");
        return notes;
    }
}
