using System.Diagnostics;
using System.Net.Http.Json;
using Npgsql;
using Register.BuildingBlocks.Database;
using Register.TestKit;
using Xunit.Abstractions;

namespace Register.Host.Tests.DisasterRecovery;

/// <summary>
/// The drill for data corrupted at 10:05: with WAL archiving on, restore the project-local cluster to 10:04:59
/// from its base backup and the archive, and find the data as it was just before the destructive change.
/// </summary>
public sealed class PointInTimeRecoveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_cluster_restored_to_just_before_a_destructive_change_has_the_data_from_before_it()
    {
        var root = Path.Combine(Path.GetTempPath(), $"register-pitr-{Guid.NewGuid():N}"[..30]);
        var archive = Path.Combine(root, "wal");
        var baseBackup = Path.Combine(root, "base");
        var live = await EmbeddedPostgres.StartAsync(Path.Combine(root, "live"), durable: true, walArchiveDirectory: archive);
        EmbeddedPostgres? restored = null;
        try
        {
            await live.EnsureDatabaseAsync("register");
            DateTimeOffset beforeDamage;
            string lastSegment;
            string srsToken;
            await using (var factory = new RegisterFactory(live.ConnectionString("register")))
            {
                var support = await factory.SupportAsync();
                var provider = await support.CreateAsync(ProviderRequests.Hei("1AA", "Before The Backup"));
                await live.BaseBackupAsync(baseBackup);
                await support.CreateAsync(ProviderRequests.Hei("1BB", "After The Backup"));
                srsToken = await factory.IssueTokenAsync("trainees_api", provider.Id());
                var srs = factory.WithToken(srsToken);
                var trainee = await srs.PostAsJsonAsync("/api/v2026.1/trainees", new { data = TraineeRequests.Valid(TraineeRequests.CurrentCycle) });
                trainee.EnsureSuccessStatusCode();
                await Task.Delay(1500);
                beforeDamage = DateTimeOffset.UtcNow;
                await Task.Delay(1500);

                // The destructive change: every provider's name overwritten.
                await using (var connection = new NpgsqlConnection(live.ConnectionString("register")))
                {
                    await connection.OpenAsync();
                    await using var damage = new NpgsqlCommand(
                        "UPDATE providers.providers SET operating_name = 'CORRUPTED'; UPDATE trainees.trainees SET last_name = 'CORRUPTED'", connection);
                    await damage.ExecuteNonQueryAsync();
                }

                lastSegment = await live.SwitchWalAsync();
            }

            await WaitForArchiveAsync(archive, lastSegment);
            await live.StopAsync();

            var stopwatch = Stopwatch.StartNew();
            restored = await EmbeddedPostgres.RestoreToTimeAsync(baseBackup, archive, beforeDamage, Path.Combine(root, "restored"));
            output.WriteLine($"Point-in-time restore took {stopwatch.ElapsedMilliseconds} ms");

            await using var recovered = new RegisterFactory(restored.ConnectionString("register"));
            var client = await recovered.SupportAsync();
            var names = (await (await client.GetAsync("/support/providers")).BodyAsync()).GetProperty("data").EnumerateArray().Select(p => p.Text("operating_name"));
            var srsAfter = recovered.WithToken(srsToken);
            var trainees = (await (await srsAfter.GetAsync("/api/v2026.1/trainees")).BodyAsync()).GetProperty("data");
            Assert.Equal(["After The Backup", "Before The Backup"], names);
            Assert.Equal(["Doe"], trainees.EnumerateArray().Select(t => t.Text("last_name")));
        }
        finally
        {
            await live.StopAsync();
            if (restored is not null)
            {
                await restored.StopAsync();
            }

            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task WaitForArchiveAsync(string archive, string segment)
    {
        // pg_switch_wal closes the segment; the archiver copies it soon after.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(Path.Combine(archive, segment)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"WAL segment {segment} was not archived within a minute");
            await Task.Delay(100);
        }
    }
}
