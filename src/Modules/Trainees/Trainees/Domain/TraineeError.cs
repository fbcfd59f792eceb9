namespace Register.Trainees.Domain;

/// <summary>
/// One broken rule of a trainee request, as the reference reports it: the field its message starts with, the rest of
/// the message, and for a degree or placement sent with the trainee, the list it came in. The full message is
/// <c>"{field} {message}"</c>; a placement's keeps its list's name in front (<c>placements_attributes name can't be blank</c>),
/// a degree's does not (<c>graduation_year is invalid</c>).
/// </summary>
internal sealed record TraineeError(string Field, string Message, string? Group = null)
{
    public const string Degrees = "degrees_attributes";
    public const string Placements = "placements_attributes";

    public string FullMessage => Group == Placements ? $"{Group} {Field} {Message}" : $"{Field} {Message}";

    public TraineeError In(string group) => this with { Group = group };
}
