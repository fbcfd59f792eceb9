using Microsoft.AspNetCore.Components;
using Register.BuildingBlocks.Web.Forms;

namespace Register.BuildingBlocks.Web.Components;

/// <summary>What every form input shares: its name (also its id), hint, and the value and error the form state has for it.</summary>
public abstract class FieldBase : ComponentBase
{
    [CascadingParameter] public FormState? State { get; set; }

    /// <summary>The form field's name, which is also the rules' name for it (<c>operating_name</c>) and the input's id.</summary>
    [Parameter, EditorRequired] public string Name { get; set; } = "";

    [Parameter] public string? Hint { get; set; }

    /// <summary>The field's error, when the form state has none for <see cref="Name"/> (a page's own message).</summary>
    [Parameter] public string? Error { get; set; }

    /// <summary>Which field's errors this input shows, when it is not <see cref="Name"/>.</summary>
    [Parameter] public string? ErrorField { get; set; }

    protected string Id => FormState.IdFor(Name);

    protected string? ErrorMessage => Error ?? State?.ErrorFor(ErrorField ?? Name);

    protected string? DescribedBy => string.Join(' ', new[] { Hint is null ? null : $"{Id}-hint", ErrorMessage is null ? null : $"{Id}-error" }.OfType<string>()) is { Length: > 0 } ids ? ids : null;
}
