using System.Reflection;
using OnSram.Cli.Commands;

namespace OnSram.Cli;

/// <summary>The <c>onsram</c> subcommands, discovered from this assembly, and the top-level dispatch.</summary>
public static class CommandCatalog
{
    /// <summary>Every command, sorted by name.</summary>
    public static IReadOnlyList<ICommand> All { get; } = typeof(CommandCatalog).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICommand).IsAssignableFrom(t)
                    && t.GetConstructor(BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes) is not null)
        .Select(t => (ICommand)Activator.CreateInstance(t)!)
        .OrderBy(c => c.Name, StringComparer.Ordinal)
        .ToArray();

    /// <summary>Runs <c>onsram ARGS</c>; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args, CliConsole console)
    {
        if (args.Count == 0 || args[0] is "help" or "--help" or "-h")
        {
            if (args.Count > 1)
            {
                return Help(args[1], console);
            }
            PrintOverview(console.Out);
            return 0;
        }
        if (args[0] is "--version")
        {
            console.Out.WriteLine(typeof(CommandCatalog).Assembly.GetName().Version?.ToString() ?? "0.0.0");
            return 0;
        }
        var command = All.FirstOrDefault(c => c.Name == args[0]);
        if (command is null)
        {
            console.Error.WriteLine($"onsram: unknown command '{args[0]}'; commands: {string.Join(", ", All.Select(c => c.Name))}");
            return 2;
        }
        if (args.Skip(1).Any(a => a is "--help" or "-h"))
        {
            return Help(command.Name, console);
        }
        try
        {
            var parsed = ParsedArgs.Parse(command.Name, args.Skip(1).ToArray(), command.Options);
            return command.Run(parsed, console);
        }
        catch (UsageException e)
        {
            console.Error.WriteLine(e.Message);
            return 2;
        }
    }

    private static int Help(string name, CliConsole console)
    {
        var c = All.FirstOrDefault(x => x.Name == name);
        if (c is null)
        {
            console.Error.WriteLine($"onsram: unknown command '{name}'; commands: {string.Join(", ", All.Select(x => x.Name))}");
            return 2;
        }
        var o = console.Out;
        o.WriteLine($"onsram {c.Name} {c.Usage}".TrimEnd());
        o.WriteLine($"  {c.Summary}");
        if (c.Options.Count > 0)
        {
            o.WriteLine();
            o.WriteLine("Options:");
            foreach (var opt in c.Options)
            {
                var left = opt.IsFlag ? $"--{opt.Name}" : $"--{opt.Name} {opt.ValueName}";
                var def = opt.Default is null ? string.Empty : $" (default: {opt.Default})";
                o.WriteLine($"  {left,-28} {opt.Help}{def}");
            }
        }
        return 0;
    }

    private static void PrintOverview(TextWriter o)
    {
        o.WriteLine("onsram: on-chip scratchpad management for deep-learning accelerators, simulated.");
        o.WriteLine();
        o.WriteLine("Usage: onsram <command> [options]     (onsram help <command> for its options)");
        o.WriteLine();
        o.WriteLine("Commands:");
        foreach (var c in All)
        {
            o.WriteLine($"  {c.Name,-10} {c.Summary}");
        }
    }
}
