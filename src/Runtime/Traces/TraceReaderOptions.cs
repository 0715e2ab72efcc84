using OnSram.Runtime.Ops;

namespace OnSram.Runtime.Traces;

/// <summary>Immutable options of a <see cref="TraceReader"/>.</summary>
/// <param name="SkipBadLines">Count and skip malformed lines instead of stopping at the first one.
/// A bad header always stops the reader.</param>
/// <param name="Registry">Registry that plans each op (FLOPs, unit, traits); <see cref="OpRegistry.Default"/> when null.</param>
/// <param name="MaxBadLineMessages">How many bad-line messages <see cref="TraceStatistics.BadLineMessages"/> keeps.</param>
public sealed record TraceReaderOptions(bool SkipBadLines = false, OpRegistry? Registry = null, int MaxBadLineMessages = 10)
{
    /// <summary>Stop at the first malformed line; the built-in registry.</summary>
    public static TraceReaderOptions Default { get; } = new();
}
