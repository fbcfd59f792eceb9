using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Register.BuildingBlocks.Jobs;

namespace Register.BuildingBlocks.Database;

public sealed class ScheduledBackupOptions
{
    /// <summary>Where scheduled backups go; none are taken while it is unset. With several instances, a folder they all share.</summary>
    public string? Directory { get; set; }

    public TimeSpan Interval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How many of the newest backups to keep; older ones (and their manifests) are deleted.</summary>
    public int Keep { get; set; } = 7;
}

/// <summary>
/// Takes a backup (<see cref="DatabaseBackup"/>) every <c>Backups:Interval</c> (at whole multiples of it, UTC) into
/// <c>Backups:Directory</c> and keeps the newest <c>Backups:Keep</c>. Each due backup is taken once across every Register
/// process on the database (<see cref="ScheduledJob"/>), and one missed while Register was down is taken at startup. It
/// connects as <see cref="RegisterDatabase.DirectConnectionString"/>: pg_dump needs a session, not a transaction pooler.
/// </summary>
public sealed class ScheduledBackups(ScheduledJobContext context, IOptions<ScheduledBackupOptions> options, ILogger<ScheduledBackups> logger)
    : IntervalJob(context, logger)
{
    public override string JobName => "scheduled_backup";

    protected override bool Enabled => !string.IsNullOrWhiteSpace(options.Value.Directory) && base.Enabled;

    protected override bool CatchesUpAtStartup => true;

    protected override TimeSpan Interval => options.Value.Interval;

    protected override async Task<int> RunJobAsync(CancellationToken ct)
    {
        await TakeAsync(options.Value, ct);
        return 1;
    }

    public async Task<string> TakeAsync(ScheduledBackupOptions settings, CancellationToken ct)
    {
        var file = Path.Combine(settings.Directory!, $"register-{Clock.GetUtcNow().ToString("yyyy-MM-ddTHHmmss.fffZ", CultureInfo.InvariantCulture)}.dump");
        var manifest = await DatabaseBackup.CreateAsync(Context.Database.DirectConnectionString, file, null, ct);
        Logger.LogInformation("Scheduled backup {File}: {Size} bytes", file, manifest.SizeBytes);
        foreach (var old in System.IO.Directory.GetFiles(settings.Directory!, "register-*.dump").Order().Reverse().Skip(Math.Max(1, settings.Keep)))
        {
            File.Delete(old);
            File.Delete(DatabaseBackup.ManifestPath(old));
        }

        return file;
    }
}
