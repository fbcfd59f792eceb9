using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Register.TestKit;

namespace Register.Host.Tests.Lifecycle;

/// <summary>
/// The built Host run as a child process (<c>dotnet Register.Host.dll ...</c>), as an operator runs it: its output is kept
/// line by line, and it can be sent signals. Disposing kills it if it is still running.
/// </summary>
internal sealed class HostProcess : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private HostProcess(Process process, int port)
    {
        Process = process;
        Port = port;
    }

    public Process Process { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>Every line written so far to stdout and stderr, in order of arrival per stream.</summary>
    public IReadOnlyList<string> Output => [.. _output];

    public IReadOnlyList<string> Errors => [.. _errors];

    public string AllText => string.Join('\n', Output.Concat(Errors));

    /// <summary>The Register.Host.dll built beside these tests, in the same configuration (Debug or Release).</summary>
    public static string HostDll { get; } = FindHostDll();

    /// <summary>Starts <c>serve</c> on a free port; <paramref name="arguments"/> are added after <c>--urls</c>.</summary>
    public static HostProcess Serve(params string[] arguments)
    {
        var port = FreePort();
        return Start(port, ["serve", "--urls", $"http://127.0.0.1:{port}", .. arguments]);
    }

    public static HostProcess Start(int port, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(HostDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Tokens__HashKey"] = RegisterFactory.TokenHashKey;
        start.Environment["Serilog__MinimumLevel__Default"] = "Information";
        foreach (var audience in new[] { "support", "providers_api", "trainees_api", "lead_provider_api", "per_ip" })
        {
            start.Environment[$"RateLimits__{audience}__TokenPermitLimit"] = "1000000";
            start.Environment[$"RateLimits__{audience}__AnonymousPermitLimit"] = "1000000";
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the Host.");
        var host = new HostProcess(process, port);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                host._output.Enqueue(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                host._errors.Enqueue(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Runs a verb to its end; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(TimeSpan timeout, params string[] arguments)
    {
        await using var host = Start(0, arguments);
        var code = await host.WaitForExitAsync(timeout);
        return (code, string.Join('\n', host.Output), string.Join('\n', host.Errors));
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await Process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The Host did not exit within {timeout.TotalSeconds} s. Its output:\n{AllText}");
        }

        // WaitForExitAsync returns once the output streams are read to their end too.
        return Process.ExitCode;
    }

    /// <summary>Waits until a line of output matches, failing with the output so far when the Host exits or time runs out.</summary>
    public async Task WaitForOutputAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!Output.Concat(Errors).Any(match))
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException($"The Host exited ({Process.ExitCode}) before the expected output. Its output:\n{AllText}");
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"The expected output did not come within {timeout.TotalSeconds} s. The Host's output:\n{AllText}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Polls <c>/health/ready</c> until it answers 200; returns how long that took.</summary>
    public async Task<TimeSpan> WaitUntilReadyAsync(TimeSpan timeout, TimeSpan? pollEvery = null)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException($"The Host exited ({Process.ExitCode}) before it was ready. Its output:\n{AllText}");
            }

            try
            {
                using var response = await client.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return waited.Elapsed;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            if (waited.Elapsed > timeout)
            {
                throw new TimeoutException($"The Host was not ready within {timeout.TotalSeconds} s. Its output:\n{AllText}");
            }

            await Task.Delay(pollEvery ?? TimeSpan.FromMilliseconds(50));
        }
    }

    /// <summary>Polls <c>/health/live</c> until it answers 200 (the Host is serving, whatever the database); returns how long that took.</summary>
    public async Task<TimeSpan> WaitUntilLiveAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException($"The Host exited ({Process.ExitCode}) before it was live. Its output:\n{AllText}");
            }

            try
            {
                using var response = await client.GetAsync("/health/live");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return waited.Elapsed;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            if (waited.Elapsed > timeout)
            {
                throw new TimeoutException($"The Host was not live within {timeout.TotalSeconds} s. Its output:\n{AllText}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Sends a POSIX signal (TERM, INT) to the Host, as an orchestrator or a terminal would.</summary>
    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", $"-{signal} {Process.Id}");
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
        }

        Process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindHostDll()
    {
        // tests/Host.Tests/bin/<Configuration>/net10.0/ → src/Host/bin/<Configuration>/net10.0/Register.Host.dll
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = here.Name;
        var configuration = here.Parent!.Name;
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Register.sln")))
        {
            root = root.Parent;
        }

        var dll = Path.Combine(root?.FullName ?? throw new InvalidOperationException("Register.sln not found above the tests."),
            "src", "Host", "bin", configuration, framework, "Register.Host.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"The Host is not built at {dll}: build tests/Host.Tests first.");
    }
}
