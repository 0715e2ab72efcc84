namespace OnSram.Runtime.Traces;

/// <summary>The first line of a trace: <c>{"format":"onsram-trace","version":1,...}</c>.</summary>
/// <param name="Format">Always <see cref="TraceFormat.Name"/>.</param>
/// <param name="Version">Format version (1).</param>
/// <param name="Source">What captured the trace, when given.</param>
/// <param name="Model">The model's name, when given.</param>
/// <param name="Batch">The batch size, when given as an integer.</param>
public sealed record TraceHeader(string Format, int Version, string? Source = null, string? Model = null, long? Batch = null);
