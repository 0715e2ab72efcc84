namespace OnSram.Runtime.Traces;

/// <summary>
/// A trace (or SCALE-Sim topology) line is malformed. The message reads <c>file:line: what is wrong</c>.
/// </summary>
public sealed class TraceFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="source">File name (or display name) of the input.</param>
    /// <param name="line">1-based line number.</param>
    /// <param name="detail">What is wrong.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public TraceFormatException(string source, long line, string detail, Exception? inner = null)
        : base($"{source}:{line}: {detail}", inner)
    {
        SourceName = source;
        Line = line;
        Detail = detail;
    }

    /// <summary>File name (or display name) of the input.</summary>
    public string SourceName { get; }

    /// <summary>1-based line number.</summary>
    public long Line { get; }

    /// <summary>What is wrong, without the position.</summary>
    public string Detail { get; }
}
