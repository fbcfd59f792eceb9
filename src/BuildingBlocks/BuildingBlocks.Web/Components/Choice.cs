using Microsoft.AspNetCore.Components;

namespace Register.BuildingBlocks.Web.Components;

/// <summary>One radio or checkbox: its value, label, hint, and what it reveals when chosen.</summary>
public sealed record Choice(string Value, string Text, string? Hint = null, RenderFragment? Conditional = null)
{
    /// <summary>A "or" divider between choices.</summary>
    public static Choice Divider(string text = "or") => new("", text) { IsDivider = true };

    public bool IsDivider { get; init; }
}
