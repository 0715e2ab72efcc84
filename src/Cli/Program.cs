namespace OnSram.Cli;

/// <summary>The <c>onsram</c> command.</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args) => CommandCatalog.Run(args, CliConsole.System);
}
