using OnSram.Cli;

namespace OnSram.Cli.Tests.Support;

/// <summary>A scratch working directory, deleted when disposed.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "onsram-cli-tests", System.IO.Path.GetRandomFileName());
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover scratch directory in the temp folder is harmless.
        }
    }
}

/// <summary>The outcome of one <c>onsram</c> invocation with captured streams.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error);

public static class Onsram
{
    /// <summary>Runs <c>onsram ARGS</c> in <paramref name="workingDirectory"/> with redirected (plain) output.</summary>
    public static CliResult Run(string workingDirectory, params string[] args) => Run(workingDirectory, true, args);

    /// <summary>Runs <c>onsram ARGS</c>; <paramref name="redirected"/> false takes the interactive (Spectre) paths.</summary>
    public static CliResult Run(string workingDirectory, bool redirected, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = CommandCatalog.Run(args, new CliConsole(output, error, redirected, workingDirectory));
        return new CliResult(code, output.ToString(), error.ToString());
    }
}
