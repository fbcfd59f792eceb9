using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Register.BuildingBlocks.Database;
using Register.TestKit;

namespace Register.Host.Tests.DisasterRecovery;

public sealed class ScheduledBackupTests
{
    [Fact]
    public async Task Backups_are_taken_every_interval_and_only_the_newest_are_kept()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"register-backups-{Guid.NewGuid():N}");
        var connectionString = await TestDatabase.ConnectionStringAsync($"register_scheduled_{Guid.NewGuid():N}");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var factory = new RegisterFactory(connectionString,
            new Dictionary<string, string?> { ["Backups:Directory"] = directory, ["Backups:Interval"] = "01:00:00", ["Backups:Keep"] = "2" },
            services => services.AddSingleton<TimeProvider>(clock));
        factory.CreateClient().Dispose();
        await Task.Delay(1000); // background services start on the thread pool: let the first wait begin on the fake clock

        // Three intervals pass (the clock is moved again if the service had not yet started waiting).
        var seen = new HashSet<string>();
        for (var step = 0; step < 60 && seen.Count < 3; step++)
        {
            clock.Advance(TimeSpan.FromHours(1));
            await Task.Delay(500);
            if (Directory.Exists(directory))
            {
                seen.UnionWith(Directory.GetFiles(directory, "*.dump"));
            }
        }

        // A backup the last move of the clock started may still be running: wait for it and its clean-up.
        var settled = DateTime.UtcNow.AddSeconds(20);
        while ((Directory.GetFiles(directory, "*.dump").Length, Directory.GetFiles(directory, "*.manifest.json").Length) != (2, 2) && DateTime.UtcNow < settled)
        {
            await Task.Delay(100);
        }

        Assert.True(seen.Count >= 3, $"only {seen.Count} backups were taken");
        Assert.Equal(2, Directory.GetFiles(directory, "*.dump").Length);
        Assert.Equal(2, Directory.GetFiles(directory, "*.manifest.json").Length);

        var newest = Directory.GetFiles(directory, "*.dump").Order().Last();
        var restoredInto = await TestDatabase.ConnectionStringAsync($"register_scheduled_restore_{Guid.NewGuid():N}");
        var manifest = await DatabaseBackup.RestoreAsync(newest, restoredInto);
        Assert.True(manifest.RowCounts.ContainsKey("access.api_clients"));
        Directory.Delete(directory, recursive: true);
    }
}
