namespace Register.BuildingBlocks.Database;

/// <summary>
/// Work a module needs done once the database is migrated and before anything else runs (the service, or a
/// command-line verb): filling a new local copy from another module, say. Run by <see cref="RegisterDatabase.PrepareAsync"/>.
/// </summary>
public interface IAfterMigration
{
    Task RunAsync(CancellationToken ct);
}
