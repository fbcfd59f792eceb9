using System.Reflection;

namespace Register.BuildingBlocks.Database;

/// <summary>
/// One module's forward-only SQL scripts, <c>migrations/&lt;schema&gt;/NNNN_description.sql</c>, embedded in
/// the module's assembly as <c>migrations.&lt;schema&gt;.NNNN_description.sql</c>. Each module registers one.
/// </summary>
public sealed record ModuleMigrations(string Schema, Assembly Assembly)
{
    public string ResourcePrefix => $"migrations.{Schema}.";

    /// <summary>The DbUp journal of this module: in <c>public</c>, outside every module schema.</summary>
    public string JournalTable => $"schemaversions_{Schema}";
}
