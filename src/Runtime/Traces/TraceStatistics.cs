namespace OnSram.Runtime.Traces;

/// <summary>
/// Counts kept while a trace is read: events emitted, tensors seen, unknown op types and event kinds,
/// and skipped bad lines. Updated as reading goes on; maps are sorted by name (ordinal).
/// </summary>
public sealed class TraceStatistics
{
    private readonly SortedDictionary<string, long> _unknownOps = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _unknownEvents = new(StringComparer.Ordinal);
    private readonly List<string> _badLineMessages = new();
    private readonly int _maxMessages;

    internal TraceStatistics(int maxBadLineMessages) => _maxMessages = Math.Max(0, maxBadLineMessages);

    /// <summary>Lines read so far, the header included.</summary>
    public long Lines { get; internal set; }

    /// <summary>Op events emitted.</summary>
    public long Ops { get; internal set; }

    /// <summary>Release events emitted.</summary>
    public long Releases { get; internal set; }

    /// <summary>Mark events emitted.</summary>
    public long Marks { get; internal set; }

    /// <summary>Events emitted (ops, releases and marks).</summary>
    public long Events => Ops + Releases + Marks;

    /// <summary>Distinct tensor ids first seen as an op input (weights, model inputs: external memory).</summary>
    public long ExternalTensors { get; internal set; }

    /// <summary>Distinct tensor ids produced by an op.</summary>
    public long ProducedTensors { get; internal set; }

    /// <summary>Op events whose op type the registry does not know, by op type
    /// (simulated from their bytes on the vector unit).</summary>
    public IReadOnlyDictionary<string, long> UnknownOps => _unknownOps;

    /// <summary>Lines with an <c>ev</c> kind this reader does not know, by kind (skipped).</summary>
    public IReadOnlyDictionary<string, long> UnknownEventKinds => _unknownEvents;

    /// <summary>Malformed lines skipped (only with <see cref="TraceReaderOptions.SkipBadLines"/>).</summary>
    public long BadLines { get; private set; }

    /// <summary>The first messages (<c>file:line: what is wrong</c>) of skipped bad lines.</summary>
    public IReadOnlyList<string> BadLineMessages => _badLineMessages;

    internal void CountUnknownOp(string opType) => Increment(_unknownOps, opType);

    internal void CountUnknownEvent(string kind) => Increment(_unknownEvents, kind);

    internal void CountBadLine(string message)
    {
        BadLines++;
        if (_badLineMessages.Count < _maxMessages)
        {
            _badLineMessages.Add(message);
        }
    }

    private static void Increment(SortedDictionary<string, long> map, string key)
    {
        map.TryGetValue(key, out var n);
        map[key] = n + 1;
    }
}
