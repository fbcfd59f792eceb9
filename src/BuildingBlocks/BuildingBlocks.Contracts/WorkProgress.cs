namespace Register.BuildingBlocks.Contracts;

/// <summary>
/// How far a long piece of work (an import, a backup) has got, for the command line's progress bar or lines:
/// <paramref name="Done"/> of <paramref name="Total"/> (null when not known) in <paramref name="Stage"/>
/// (e.g. "providers"), with a short note of what has happened so far.
/// </summary>
public sealed record WorkProgress(string Stage, int Done, int? Total, string Note = "");
