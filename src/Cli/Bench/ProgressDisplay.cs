using Spectre.Console;

namespace OnSram.Cli.Bench;

/// <summary>
/// Progress of a long command on standard error: a Spectre.Console progress bar when the console is
/// interactive, else one plain line per finished step (safe to log; standard output stays clean).
/// </summary>
internal static class ProgressDisplay
{
    /// <summary>Runs <paramref name="work"/>, reporting the progress it reports.</summary>
    public static T Run<T>(CliConsole console, bool live, string title, Func<Action<BenchProgress>, T> work)
    {
        if (!live)
        {
            var gate = new object();
            return work(p =>
            {
                lock (gate)
                {
                    console.Error.WriteLine($"{title}: [{p.Done}/{p.Total}] {p.Description}");
                }
            });
        }
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(console.Error),
            Interactive = InteractionSupport.Yes,
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
        });
        T result = default!;
        ansi.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(title);
                var gate = new object();
                result = work(p =>
                {
                    lock (gate)
                    {
                        task.MaxValue = p.Total;
                        task.Value = Math.Max(task.Value, p.Done);
                        task.Description = $"{title}: {Markup.Escape(p.Description)}";
                    }
                });
                task.Value = task.MaxValue;
            });
        return result;
    }

    /// <summary>A Spectre console writing to <paramref name="writer"/> (tables on an interactive terminal).</summary>
    public static IAnsiConsole Console(TextWriter writer) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(writer),
        Interactive = InteractionSupport.Yes,
        Ansi = AnsiSupport.Detect,
        ColorSystem = ColorSystemSupport.Detect,
    });
}
