namespace OnSram.Cli.Commands;

/// <summary>One <c>onsram</c> subcommand.</summary>
public interface ICommand
{
    /// <summary>Name typed after <c>onsram</c>.</summary>
    string Name { get; }

    /// <summary>One-line summary for <c>onsram help</c>.</summary>
    string Summary { get; }

    /// <summary>Usage line (positionals), e.g. <c>TRACE</c>.</summary>
    string Usage { get; }

    /// <summary>Options the command accepts.</summary>
    IReadOnlyList<OptionSpec> Options { get; }

    /// <summary>Runs the command; returns the process exit code (0 ok, 1 failure, 2 bad input).</summary>
    int Run(ParsedArgs args, CliConsole console);
}
