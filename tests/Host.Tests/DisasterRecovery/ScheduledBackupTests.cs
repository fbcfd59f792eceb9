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

        for (var hour = 0; hour < 3; hour++)
        {
            var expected = Math.Min(hour + 1, 2);
            clock.Advance(TimeSpan.FromHours(1));
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!Directory.Exists(directory) || Directory.GetFiles(directory, "*.dump").Length != expected
                   || Directory.GetFiles(directory, "*.manifest.json").Length != expected)
            {
                Assert.True(DateTime.UtcNow < deadline, $"expected {expected} backups after {hour + 1} hours");
                await Task.Delay(100);
            }

            await Task.Delay(300); // let the service start its next wait before the clock moves again
        }

        var newest = Directory.GetFiles(directory, "*.dump").Order().Last();
        var restoredInto = await TestDatabase.ConnectionStringAsync($"register_scheduled_restore_{Guid.NewGuid():N}");
        var manifest = await DatabaseBackup.RestoreAsync(newest, restoredInto);
        Assert.True(manifest.RowCounts.ContainsKey("access.api_clients"));
        Directory.Delete(directory, recursive: true);
    }
}
