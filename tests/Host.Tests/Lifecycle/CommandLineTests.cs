namespace Register.Host.Tests.Lifecycle;

/// <summary>
/// The command line as a user meets it, in a real process: help and usage errors come before anything is built, so none
/// of them needs a database (the connection string given points nowhere, and the answers come at once).
/// </summary>
public sealed class CommandLineTests
{
    private const string Nowhere = "--ConnectionStrings:Register=Host=127.0.0.1;Port=1;Database=none;Timeout=1";

    private static readonly string[] Verbs =
        ["serve", "migrate", "create-user", "create-support-token", "create-token", "import-seed-data", "import-schools", "backup", "restore", "base-backup", "restore-to-time", "sandbox-reset", "sandbox-token"];

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_lists_every_verb_with_the_exit_codes_and_exits_0(string help)
    {
        var (code, stdout, stderr) = await HostProcess.RunAsync(TimeSpan.FromSeconds(30), help, Nowhere);

        Assert.Equal(0, code);
        Assert.All(Verbs, verb => Assert.Contains($"  {verb} ", stdout, StringComparison.Ordinal));
        Assert.Contains("Exit codes", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Waiting for PostgreSQL", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_verb_s_help_names_its_options()
    {
        var (code, stdout, _) = await HostProcess.RunAsync(TimeSpan.FromSeconds(30), "create-token", "--help", Nowhere);

        Assert.Equal(0, code);
        Assert.Contains("--audience", stdout, StringComparison.Ordinal);
        Assert.Contains("--organisation-id", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_verb_is_a_usage_error_with_the_help_on_stderr()
    {
        var (code, stdout, stderr) = await HostProcess.RunAsync(TimeSpan.FromSeconds(30), "frobnicate", Nowhere);

        Assert.Equal(2, code);
        Assert.Contains("Unknown verb 'frobnicate'", stderr, StringComparison.Ordinal);
        Assert.Contains("Usage:", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Waiting for PostgreSQL", stdout + stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Option '--audience' is required", "create-token", "--name", "x")]
    [InlineData("--organisation-id must be a UUID", "create-token", "--audience", "trainees_api", "--organisation-id", "nope")]
    [InlineData("--expires-on must be a date", "create-support-token", "--expires-on", "31/12/2026")]
    [InlineData("Option '--providers' is required", "import-seed-data")]
    [InlineData("create-user needs --provider UKPRN|ID with --role provider", "create-user", "--email", "a@b.ac.uk", "--first-name", "A", "--last-name", "B", "--role", "provider")]
    [InlineData("create-user needs --provider UKPRN|ID with --role provider", "create-user", "--email", "a@education.gov.uk", "--first-name", "A", "--last-name", "B", "--provider", "10012345")]
    [InlineData("Unrecognized argument 'extra'", "migrate", "extra")]
    [InlineData("Option '--vendor' is required", "sandbox-token", "--provider", "10099001")]
    [InlineData("sandbox-token needs one of --provider UKPRN or --lead-provider NAME", "sandbox-token", "--vendor", "Acme SRS")]
    [InlineData("sandbox-token needs one of --provider UKPRN or --lead-provider NAME", "sandbox-token", "--vendor", "Acme SRS", "--provider", "10099001", "--lead-provider", "Capita")]
    public async Task A_missing_or_bad_option_is_a_usage_error_that_names_it(string message, params string[] arguments)
    {
        var (code, _, stderr) = await HostProcess.RunAsync(TimeSpan.FromSeconds(30), [.. arguments, Nowhere]);

        Assert.Equal(2, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Contains("Usage:", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sandbox-reset")]
    [InlineData("sandbox-token", "--vendor", "Acme SRS", "--provider", "10099001")]
    public async Task The_sandbox_verbs_refuse_to_run_outside_sandbox_mode_before_touching_the_database(params string[] arguments)
    {
        var (code, stdout, stderr) = await HostProcess.RunAsync(TimeSpan.FromSeconds(30), [.. arguments, Nowhere]);

        Assert.Equal(1, code);
        Assert.Contains($"register: {arguments[0]} runs only in sandbox mode", stderr, StringComparison.Ordinal);
        Assert.Contains("Sandbox__Enabled=true", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Waiting for PostgreSQL", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_one_shot_verb_gives_up_on_an_unreachable_database_with_a_clear_message_and_exit_code_1()
    {
        var (code, stdout, stderr) = await HostProcess.RunAsync(TimeSpan.FromSeconds(30), "migrate", Nowhere, "--Database:StartupTimeout=00:00:02");

        Assert.Equal(1, code);
        Assert.Contains("Waiting for PostgreSQL at 127.0.0.1:1", stdout + stderr, StringComparison.Ordinal);
        Assert.Contains("register: PostgreSQL at 127.0.0.1:1 did not answer within 2 s", stderr, StringComparison.Ordinal);
    }
}
