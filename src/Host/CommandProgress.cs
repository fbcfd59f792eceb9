using Register.BuildingBlocks.Contracts;
using Spectre.Console;

namespace Register.Host;

/// <summary>
/// The progress of a long verb (<c>import-seed-data</c>, <c>import-schools</c>, <c>backup</c>, <c>restore</c>): a bar per stage
/// (Spectre.Console) when the output is a terminal, plain lines otherwise (a stage's start and end, and at most one line a
/// second in between), so logs and pipes get readable text.
/// </summary>
internal static class CommandProgress
{
    public static async Task<T> RunAsync<T>(Func<IProgress<WorkProgress>, Task<T>> work)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            return await work(new PlainLines(Console.Out, TimeProvider.System));
        }

        return await AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var bars = new Bars(context);
                try
                {
                    return await work(bars);
                }
                finally
                {
                    bars.Finish();
                }
            });
    }

    /// <summary>One bar per stage; called on whichever thread reports, so it takes a lock.</summary>
    private sealed class Bars(ProgressContext context) : IProgress<WorkProgress>
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<string, ProgressTask> _tasks = [];
        private ProgressTask? _current;

        public void Report(WorkProgress value)
        {
            lock (_gate)
            {
                if (!_tasks.TryGetValue(value.Stage, out var task))
                {
                    if (_current is { } previous)
                    {
                        previous.Value = previous.MaxValue;
                        previous.StopTask();
                    }

                    task = context.AddTask(Markup.Escape(value.Stage), maxValue: Math.Max(1, value.Total ?? 1));
                    task.IsIndeterminate = value.Total is null;
                    _tasks[value.Stage] = task;
                    _current = task;
                }

                if (value.Total is { } total)
                {
                    task.MaxValue = Math.Max(1, total);
                    task.Value = Math.Min(value.Done, total);
                }

                task.Description = Markup.Escape(string.IsNullOrEmpty(value.Note) ? value.Stage : $"{value.Stage}: {Shorten(value.Note)}");
            }
        }

        public void Finish()
        {
            lock (_gate)
            {
                foreach (var task in _tasks.Values)
                {
                    task.IsIndeterminate = false;
                    task.Value = task.MaxValue;
                    task.StopTask();
                }
            }
        }

        private static string Shorten(string note) => note.Length <= 48 ? note : note[..47] + "…";
    }

    /// <summary>A line when a stage starts, when it reaches its total, and at most once a second in between.</summary>
    internal sealed class PlainLines(TextWriter output, TimeProvider clock) : IProgress<WorkProgress>
    {
        private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
        private readonly Lock _gate = new();
        private string? _stage;
        private DateTimeOffset _lastLine;

        public void Report(WorkProgress value)
        {
            lock (_gate)
            {
                var now = clock.GetUtcNow();
                var finished = value.Total is { } total && value.Done >= total;
                if (value.Stage == _stage && !finished && now - _lastLine < Interval)
                {
                    return;
                }

                _stage = value.Stage;
                _lastLine = now;
                var amount = value.Total is { } of && of > 0
                    ? $"{value.Done} of {of} ({100.0 * value.Done / of:0}%)"
                    : value.Done > 0 ? $"{value.Done}" : "";
                output.WriteLine(string.Join(" ", new[] { $"{value.Stage}:", amount, value.Note }.Where(s => s.Length > 0)));
            }
        }
    }
}
