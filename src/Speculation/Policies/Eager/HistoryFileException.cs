namespace OnSram.Speculation.Policies.Eager;

/// <summary>
/// A history file (<c>ONSRAM_HISTORY</c>) that cannot be used: unreadable, not JSON, another format or version,
/// learned on another accelerator configuration, or an entry with a missing or invalid field. The message names
/// the file and what is wrong.
/// </summary>
public sealed class HistoryFileException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public HistoryFileException(string path, string problem, Exception? inner = null)
        : base($"history file '{path}': {problem}", inner)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
