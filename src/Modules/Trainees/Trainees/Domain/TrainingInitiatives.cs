namespace Register.Trainees.Domain;

/// <summary>Training initiatives (spec §5.7): the internal names, and which are available in each academic cycle.</summary>
internal static class TrainingInitiatives
{
    public const string None = "no_initiative";
    public const string Veterans = "veterans_teaching_undergraduate_bursary";

    private static readonly Dictionary<int, string[]> AvailableByCycle = new()
    {
        [2024] = ["international_relocation_payment", "now_teach", Veterans],
        [2025] = ["international_relocation_payment", "now_teach", Veterans, "primary_mathematics_specialist"],
        [2026] = ["now_teach", Veterans, "primary_mathematics_specialist"],
        [2027] = ["now_teach", Veterans, "primary_mathematics_specialist"],
    };

    /// <summary>Is the initiative one the cycle does not offer? Cycles Register has no list for are not checked.</summary>
    public static bool IsUnavailable(string initiative, int cycle) =>
        AvailableByCycle.TryGetValue(cycle, out var available) && !available.Contains(initiative);
}
