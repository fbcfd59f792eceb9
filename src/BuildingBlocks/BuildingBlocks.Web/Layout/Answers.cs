namespace Register.BuildingBlocks.Web.Layout;

/// <summary>
/// One row of a check-answers page or a summary: the question, the answer (several lines, or "Not entered" when there
/// are none), and where to change it.
/// </summary>
public sealed record AnswerRow(string Key, IReadOnlyList<string> Lines, string? ChangeHref = null, string? ChangeHiddenText = null, string Blank = "Not entered")
{
    public AnswerRow(string key, string? value, string? changeHref = null, string? changeHiddenText = null)
        : this(key, string.IsNullOrWhiteSpace(value) ? [] : [value], changeHref, changeHiddenText)
    {
    }
}

/// <summary>A titled group of rows (a check-answers page's "Accreditation" or "Address" section).</summary>
public sealed record AnswerSection(string? Heading, IReadOnlyList<AnswerRow> Rows, string? Text = null);
