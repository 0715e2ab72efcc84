namespace OnSram.Runtime.Traces;

/// <summary>Constants of trace format v1 (JSON Lines; see <c>docs/trace-format.md</c>).</summary>
public static class TraceFormat
{
    /// <summary>Value of the header's <c>format</c> key.</summary>
    public const string Name = "onsram-trace";

    /// <summary>The format version this runtime reads and writes.</summary>
    public const int Version = 1;

    /// <summary><c>ev</c> of an executed op.</summary>
    public const string OpEvent = "op";

    /// <summary><c>ev</c> of a tensor release.</summary>
    public const string FreeEvent = "free";

    /// <summary><c>ev</c> of a program mark.</summary>
    public const string MarkEvent = "mark";

    /// <summary>dtype assumed for a tensor whose <c>dtype</c> key is absent.</summary>
    public const DType DefaultDType = DType.Float32;
}
