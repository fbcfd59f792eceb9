using System.Net.Http.Json;
using Npgsql;
using Register.BuildingBlocks.Database;
using Register.TestKit;

namespace Register.Host.Tests.DisasterRecovery;

/// <summary>
/// The drill for losing the database: load data through the APIs, back up, destroy the database, restore, and
/// get byte-for-byte the same answers from a service started on the restored database.
/// </summary>
public sealed class BackupRestoreDrillTests
{
    [Fact]
    public async Task A_destroyed_database_comes_back_from_its_backup_with_every_record_and_activity_item()
    {
        var name = $"register_drill_{Guid.NewGuid():N}";
        var connectionString = await TestDatabase.ConnectionStringAsync(name);
        var backup = Path.Combine(Path.GetTempPath(), $"{name}.dump");
        string[] paths;
        string[] traineePaths;
        Dictionary<string, string> before;
        Dictionary<string, string> traineesBefore;
        string authorization;
        string srsToken;

        await using (var original = new RegisterFactory(connectionString))
        {
            var support = await original.SupportAsync("Drill support");
            authorization = support.DefaultRequestHeaders.Authorization!.ToString();
            var scitt = await support.CreateAsync(ProviderRequests.Scitt());
            var school = await support.CreateAsync(ProviderRequests.School());
            await support.PostAsJsonAsync($"/support/providers/{school.Id()}/contacts", new { first_name = "A", last_name = "B", email = "ab@example.com" });
            var partnership = await support.PostAsJsonAsync("/support/partnerships",
                new { accredited_provider_id = scitt.Id(), training_partner_id = school.Id(), start_date = "2024-08-01", academic_years = new[] { 2024, 2025 } });
            partnership.EnsureSuccessStatusCode();

            // A training provider's SRS registers a trainee, with a degree and a placement, and changes it.
            srsToken = await original.IssueTokenAsync("trainees_api", scitt.Id(), "Drill trainees_api");
            var srs = original.WithToken(srsToken);
            var created = await srs.PostAsJsonAsync("/api/v2026.1/trainees", new
            {
                data = TraineeRequests.Valid(TraineeRequests.CurrentCycle).With("placements_attributes", new[] { new { urn = "900020" } }),
            });
            created.EnsureSuccessStatusCode();
            var trainee = (await created.BodyAsync()).GetProperty("data").Text("trainee_id");
            (await srs.PatchAsJsonAsync($"/api/v2026.1/trainees/{trainee}", new { data = new { middle_names = "Ryan" } })).EnsureSuccessStatusCode();
            traineePaths = ["/api/v2026.1/trainees", $"/api/v2026.1/trainees/{trainee}", $"/api/v2025.0/trainees/{trainee}/degrees", $"/api/v2026.1/trainees/{trainee}/placements"];
            traineesBefore = await ReadAsync(srs, traineePaths);
            paths =
            [
                $"/support/providers/{scitt.Id()}", $"/support/providers/{school.Id()}", "/support/providers?include_archived=true",
                $"/support/providers/{school.Id()}/partnerships", "/support/activity", $"/support/providers/{school.Id()}/activity",
                $"/support/providers/{scitt.Id()}/activity",
            ];
            before = await ReadAsync(support, paths);
            await DatabaseBackup.CreateAsync(connectionString, backup);
        }

        await DropAsync(connectionString, name);
        var manifest = await DatabaseBackup.RestoreAsync(backup, connectionString);

        await using var restored = new RegisterFactory(connectionString);
        var client = restored.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        var after = await ReadAsync(client, paths);
        var srsAfter = restored.WithToken(srsToken);
        var traineesAfter = await ReadAsync(srsAfter, traineePaths);
        File.Delete(backup);
        File.Delete(DatabaseBackup.ManifestPath(backup));

        Assert.True(manifest.RowCounts["activity_log.activity_items"] > 0);
        Assert.Equal(1, manifest.RowCounts["trainees.trainees"]);
        foreach (var path in paths)
        {
            Assert.Equal(before[path], after[path]);
        }

        foreach (var path in traineePaths)
        {
            Assert.Equal(traineesBefore[path], traineesAfter[path]);
        }

        Assert.Contains("Trainee updated", after[paths[^1]], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_damaged_backup_or_a_database_in_use_is_refused()
    {
        var name = $"register_drill_{Guid.NewGuid():N}";
        var connectionString = await TestDatabase.ConnectionStringAsync(name);
        var backup = Path.Combine(Path.GetTempPath(), $"{name}.dump");
        await using (var original = new RegisterFactory(connectionString))
        {
            original.CreateClient().Dispose();
            await DatabaseBackup.CreateAsync(connectionString, backup);
        }

        var notEmpty = await Assert.ThrowsAsync<InvalidOperationException>(() => DatabaseBackup.RestoreAsync(backup, connectionString));
        Assert.Contains("is not empty", notEmpty.Message, StringComparison.Ordinal);

        await using (var stream = File.OpenWrite(backup))
        {
            stream.Seek(100, SeekOrigin.Begin);
            stream.WriteByte(0xFF);
        }

        var damaged = await Assert.ThrowsAsync<InvalidOperationException>(() => DatabaseBackup.RestoreAsync(backup, connectionString + "_other"));
        Assert.Contains("damaged", damaged.Message, StringComparison.Ordinal);
        File.Delete(backup);
        File.Delete(DatabaseBackup.ManifestPath(backup));
    }

    private static async Task<Dictionary<string, string>> ReadAsync(HttpClient client, IEnumerable<string> paths)
    {
        var answers = new Dictionary<string, string>();
        foreach (var path in paths)
        {
            var response = await client.GetAsync(path);
            response.EnsureSuccessStatusCode();
            answers[path] = await response.Content.ReadAsStringAsync();
        }

        return answers;
    }

    private static async Task DropAsync(string connectionString, string name)
    {
        NpgsqlConnection.ClearAllPools();
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
