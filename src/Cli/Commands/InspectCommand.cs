using OnSram.Cli.Inspect;

namespace OnSram.Cli.Commands;

/// <summary>
/// <c>onsram inspect LOG [--json] [--top N]</c>: summarises a speculation log (<c>ONSRAM_LOG</c>): hit rate and
/// prediction accuracy per iteration and per op type, the most costly mispredicted signatures, and where the
/// external bytes went. Unusable lines (truncated, corrupt) are listed on stderr with their line numbers; the rest
/// is summarised.
/// </summary>
public sealed class InspectCommand : ICommand
{
    /// <inheritdoc />
    public string Name => "inspect";

    /// <inheritdoc />
    public string Summary => "summarise a speculation log: hit rate, accuracy, mispredictions, where the bytes went";

    /// <inheritdoc />
    public string Usage => "LOG";

    /// <inheritdoc />
    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("json", "print JSON instead of text"),
        new("top", "how many mispredicted signatures to list", "N", "10"),
    ];

    /// <inheritdoc />
    public int Run(ParsedArgs args, CliConsole console)
    {
        if (args.Positionals.Count != 1)
        {
            throw new UsageException($"onsram inspect: expected one LOG file, got {args.Positionals.Count} arguments; usage: onsram inspect LOG [--json] [--top N]");
        }
        var top = args.Int("top", 10, 0, 100_000);
        var path = console.Resolve(args.Positionals[0]);
        LogSummary summary;
        try
        {
            using var reader = new StreamReader(path);
            summary = LogInspector.Summarize(reader, args.Positionals[0], top);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            console.Error.WriteLine($"onsram inspect: cannot read '{args.Positionals[0]}': {e.Message}");
            return 1;
        }
        foreach (var p in summary.Problems)
        {
            console.Error.WriteLine($"onsram inspect: {args.Positionals[0]} line {p.Line}: {p.Message} (skipped)");
        }
        if (summary.Records == 0)
        {
            console.Error.WriteLine($"onsram inspect: '{args.Positionals[0]}' has no usable record");
            return 1;
        }
        console.Out.Write(args.Flag("json") ? InspectOutput.Json(summary) : InspectOutput.Text(summary));
        return 0;
    }
}
