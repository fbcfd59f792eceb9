using Dapper;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Register.BuildingBlocks;
using Register.Trainees.Domain;

namespace Register.Trainees.Features.Trs;

/// <summary>
/// The Teaching Regulation Service, as Register uses it: it allocates a trainee's TRN, and awards QTS or EYTS after a
/// recommendation. The reference calls the real service; Register has a simulator (<see cref="SimulatedTeachingRegulationService"/>)
/// and keeps the work it owes TRS in <c>trainees.trs_requests</c>, so a real client can take its place behind this port.
/// </summary>
internal interface ITeachingRegulationService
{
    /// <summary>The trainee's TRN, or null while TRS has none for it yet (ask again later).</summary>
    Task<string?> RequestTrnAsync(Trainee trainee, CancellationToken ct);

    /// <summary>When TRS awarded the trainee, or null while it has not yet (ask again later).</summary>
    Task<DateTimeOffset?> RequestAwardAsync(Trainee trainee, CancellationToken ct);
}

/// <summary>
/// The built-in stand-in for TRS (on unless <c>Trs:Simulator</c> is false): a TRN is the next of a 7-digit sequence
/// (from 2000001) and an award is made at once; the delays before each are the requests' (<c>Trs:TrnDelay</c>, <c>Trs:AwardDelay</c>).
/// </summary>
internal sealed class SimulatedTeachingRegulationService(NpgsqlDataSource db, TimeProvider clock) : ITeachingRegulationService
{
    public async Task<string?> RequestTrnAsync(Trainee trainee, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var trn = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT nextval('trainees.simulated_trns')", cancellationToken: ct));
        return trn.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public Task<DateTimeOffset?> RequestAwardAsync(Trainee trainee, CancellationToken ct) => Task.FromResult<DateTimeOffset?>(clock.UtcNowForDatabase());
}

/// <summary><c>Trs:*</c>: how long TRS takes, and how often Register asks it.</summary>
internal sealed class TrsOptions
{
    /// <summary>Use the built-in simulator, the only TRS client Register has today: false leaves the work queued in <c>trainees.trs_requests</c>.</summary>
    public bool Simulator { get; set; } = true;

    /// <summary>From submission to TRN.</summary>
    public TimeSpan TrnDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>From recommendation to award.</summary>
    public TimeSpan AwardDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the worker looks for due work; false for <see cref="BackgroundProcessing"/> leaves it to the caller.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    public bool BackgroundProcessing { get; set; } = true;

    /// <summary>
    /// In sandbox mode (<c>Sandbox:Enabled</c>) TRS is quick, so that an SRS vendor sees a new trainee get its TRN, and a
    /// recommended one its award, within seconds: each delay and the poll interval not set in <c>Trs:*</c> are made short.
    /// </summary>
    public static void InSandbox(TrsOptions options, IConfiguration configuration)
    {
        if (!configuration.GetValue<bool>("Sandbox:Enabled"))
        {
            return;
        }

        var trs = configuration.GetSection("Trs");
        options.TrnDelay = trs["TrnDelay"] is null ? SandboxTrnDelay : options.TrnDelay;
        options.AwardDelay = trs["AwardDelay"] is null ? SandboxAwardDelay : options.AwardDelay;
        options.PollInterval = trs["PollInterval"] is null ? SandboxPollInterval : options.PollInterval;
    }

    public static TimeSpan SandboxTrnDelay { get; } = TimeSpan.FromSeconds(2);

    public static TimeSpan SandboxAwardDelay { get; } = TimeSpan.FromSeconds(5);

    public static TimeSpan SandboxPollInterval { get; } = TimeSpan.FromSeconds(1);
}
