using Newtonsoft.Json.Linq;
using Snapshooter;
using Snapshooter.Xunit;

namespace Register.TestKit;

/// <summary>
/// Approved-snapshot checks of response bodies (Snapshooter). Snapshots live in <c>__snapshots__</c> beside the
/// test; run with SNAPSHOOTER_STRICT_MODE=on (as CI does) a missing snapshot fails instead of being written.
/// Values that change every run (ids, tokens, times) are checked for presence, not value.
/// </summary>
public static class Snapshots
{
    public static async Task MatchJsonAsync(HttpResponseMessage response, params string[] ignoredFields) =>
        MatchJson(await response.Content.ReadAsStringAsync(), ignoredFields);

    public static void MatchJson(string json, params string[] ignoredFields)
    {
        var token = JToken.Parse(json);
        Snapshot.Match(token, options =>
        {
            foreach (var field in ignoredFields)
            {
                options = options.IgnoreField(field);
            }

            return options;
        });
    }

    /// <summary>Matches with a name of its own, for several snapshots in one test.</summary>
    public static void MatchJson(string json, string snapshotName, params string[] ignoredFields)
    {
        var token = JToken.Parse(json);
        Snapshot.Match(token, SnapshotNameExtension.Create(snapshotName), options =>
        {
            foreach (var field in ignoredFields)
            {
                options = options.IgnoreField(field);
            }

            return options;
        });
    }
}
