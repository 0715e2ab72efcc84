namespace OnSram.Runtime.Traces;

/// <summary>Immutable options of a <see cref="TraceWriter"/>.</summary>
/// <param name="Source">The header's <c>source</c>; the runtime's name and version when null.</param>
/// <param name="Model">The header's <c>model</c>, omitted when null.</param>
/// <param name="Batch">The header's <c>batch</c>, omitted when null.</param>
/// <param name="Errors">Where a write failure is reported (once); standard error when null.</param>
/// <param name="DisplayName">Name of the destination in the failure message (the file path).</param>
public sealed record TraceWriterOptions(
    string? Source = null,
    string? Model = null,
    long? Batch = null,
    TextWriter? Errors = null,
    string? DisplayName = null)
{
    /// <summary>Default options.</summary>
    public static TraceWriterOptions Default { get; } = new();
}
