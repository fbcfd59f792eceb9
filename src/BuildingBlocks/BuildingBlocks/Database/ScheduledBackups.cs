using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Register.BuildingBlocks.Database;

public sealed class ScheduledBackupOptions
{
    /// <summary>Where scheduled backups go; none are taken while it is unset.</summary>
    public string? Directory { get; set; }

    public TimeSpan Interval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How many of the newest backups to keep; older ones (and their manifests) are deleted.</summary>
    public int Keep { get; set; } = 7;
}

/// <summary>
/// Takes a backup (<see cref="DatabaseBackup"/>) every <c>Backups:Interval</c> into <c>Backups:Directory</c> and keeps
/// the newest <c>Backups:Keep</c>. A failed backup is logged and tried again at the next interval.
/// </summary>
public sealed class ScheduledBackups(RegisterDatabase database, IOptions<ScheduledBackupOptions> options, TimeProvider clock, ILogger<ScheduledBackups> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.Directory))
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(settings.Interval, clock, stoppingToken);
                await TakeAsync(settings, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogFailedRound(ex, "Scheduled backup failed; it runs again in {Interval}", settings.Interval);
            }
        }
    }

    public async Task<string> TakeAsync(ScheduledBackupOptions settings, CancellationToken ct)
    {
        var file = Path.Combine(settings.Directory!, $"register-{clock.GetUtcNow().ToString("yyyy-MM-ddTHHmmss.fffZ", CultureInfo.InvariantCulture)}.dump");
        var manifest = await DatabaseBackup.CreateAsync(database.ConnectionString, file, ct: ct);
        logger.LogInformation("Scheduled backup {File}: {Size} bytes", file, manifest.SizeBytes);
        foreach (var old in System.IO.Directory.GetFiles(settings.Directory!, "register-*.dump").Order().Reverse().Skip(Math.Max(1, settings.Keep)))
        {
            File.Delete(old);
            File.Delete(DatabaseBackup.ManifestPath(old));
        }

        return file;
    }
}
