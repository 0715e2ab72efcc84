using System.Text.Json;
using OnSram.Accelerator;
using OnSram.Accelerator.Cost;
using OnSram.Speculation.Simulation;

namespace OnSram.Speculation.Reports;

/// <summary>
/// Writes a simulated run as a Chrome trace event file (the JSON object format with <c>traceEvents</c>,
/// which Perfetto UI and chrome://tracing open), as the simulator produces it: attach it as the
/// simulator's <see cref="SimulatorOptions.Recorder"/>. Events are streamed to the output (a 64 KiB
/// buffer), so memory stays flat however long the run. One process; threads (tracks): the matrix unit
/// (tid 1), the vector unit (tid 2), external memory (tid 3: each op's DMA traffic and every stand-alone
/// transfer) and tid 0 for iteration instants; a counter track <c>SPM</c> (held bytes). Ops run one after
/// another, so timestamps are the running sum of the simulated times in microseconds: the last event ends
/// at the report's <c>latency_seconds</c>. See <c>docs/trace-format.md</c>, "Timeline export".
/// </summary>
public sealed class ChromeTimelineWriter : ISimulationRecorder, IDisposable
{
    /// <summary>The process id of every event.</summary>
    public const int ProcessId = 1;

    /// <summary>Track of iteration instants.</summary>
    public const int IterationTrack = 0;

    /// <summary>Track of the matrix unit's ops.</summary>
    public const int MatrixTrack = 1;

    /// <summary>Track of the vector unit's ops.</summary>
    public const int VectorTrack = 2;

    /// <summary>Track of external memory traffic.</summary>
    public const int MemoryTrack = 3;

    /// <summary>Name of the SPM occupancy counter.</summary>
    public const string SpmCounter = "SPM";

    private const int FlushThreshold = 1 << 16;
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly Utf8JsonWriter _json;
    private double _cursorSeconds;
    private long _lastHeld = -1;
    private int _iteration = -1;
    private bool _closed;
    private bool _disposed;

    /// <summary>Starts the file on <paramref name="stream"/>: the opening and the metadata events.</summary>
    /// <param name="stream">Where the JSON goes.</param>
    /// <param name="processName">The process's name in the viewer (e.g. <c>onsram: lru on paper</c>).</param>
    /// <param name="leaveOpen">Leave <paramref name="stream"/> open on <see cref="Dispose"/>.</param>
    public ChromeTimelineWriter(Stream stream, string processName, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(processName);
        _stream = stream;
        _leaveOpen = leaveOpen;
        _json = new Utf8JsonWriter(stream, new JsonWriterOptions { SkipValidation = false });
        _json.WriteStartObject();
        _json.WriteString("displayTimeUnit", "ns");
        _json.WriteStartArray("traceEvents");
        Metadata("process_name", IterationTrack, processName, process: true);
        Metadata("thread_name", IterationTrack, "iterations");
        Metadata("thread_name", MatrixTrack, "matrix unit");
        Metadata("thread_name", VectorTrack, "vector unit");
        Metadata("thread_name", MemoryTrack, "external memory");
        for (var tid = IterationTrack; tid <= MemoryTrack; tid++)
        {
            SortIndex(tid);
        }
    }

    /// <summary>Events written so far (metadata included).</summary>
    public long EventCount { get; private set; }

    /// <summary>Simulated time written so far, in seconds (the end of the last event).</summary>
    public double EndSeconds => _cursorSeconds;

    /// <inheritdoc />
    public void OnOp(in OpRecord record)
    {
        ThrowIfClosed();
        var c = record.Cost;
        var ts = Micro(_cursorSeconds);
        if (record.Iteration != _iteration)
        {
            _iteration = record.Iteration;
            _json.WriteStartObject();
            Common("iteration " + record.Iteration.ToString(System.Globalization.CultureInfo.InvariantCulture), "i", ts, IterationTrack);
            _json.WriteString("s", "g");
            _json.WriteEndObject();
            EventCount++;
        }
        Counter(ts, record.HeldBytes);

        _json.WriteStartObject();
        Common(record.OpType.Length == 0 ? "(op)" : record.OpType, "X", ts, c.Unit == ComputeUnit.Matrix ? MatrixTrack : VectorTrack);
        _json.WriteString("cat", "op");
        _json.WriteNumber("dur", Micro(c.Seconds));
        _json.WriteStartObject("args");
        _json.WriteNumber("op_index", record.OpIndex);
        _json.WriteNumber("iteration", record.Iteration);
        _json.WriteNumber("flops", c.Flops);
        _json.WriteString("bound_by", BoundName(c.BoundBy));
        _json.WriteNumber("dram_bytes_read", c.ExternalReadBytes);
        _json.WriteNumber("dram_bytes_written", c.ExternalWriteBytes);
        _json.WriteNumber("refetch_bytes", c.RefetchBytes);
        _json.WriteNumber("spm_bytes", c.SpmBytes);
        _json.WriteNumber("compute_us", Micro(c.ComputeSeconds));
        _json.WriteNumber("external_us", Micro(c.ExternalSeconds));
        _json.WriteNumber("spm_us", Micro(c.SpmSeconds));
        _json.WriteNumber("energy_joules", c.EnergyJoules);
        _json.WriteNumber("staging_bytes", record.StagingBytes);
        _json.WriteNumber("spm_held_bytes", record.HeldBytes);
        _json.WriteEndObject();
        _json.WriteEndObject();
        EventCount++;

        if (c.ExternalBytes > 0)
        {
            // The op's DMA traffic, overlapped with its compute: as long as external memory was busy.
            Transfer(record.OpType + " DMA", "dma", ts, c, record.OpIndex, record.Iteration, -1);
        }
        _cursorSeconds += c.Seconds;

        var after = record.AfterOpTransfer;
        if (after.ExternalBytes > 0 || after.Seconds > 0)
        {
            Transfer("write-back after " + record.OpType, "transfer", Micro(_cursorSeconds), after, record.OpIndex, record.Iteration, -1);
            _cursorSeconds += after.Seconds;
        }
        Counter(Micro(_cursorSeconds), record.HeldBytesAfter);
        FlushIfFull();
    }

    /// <inheritdoc />
    public void OnTransfer(in TransferRecord transfer)
    {
        ThrowIfClosed();
        var name = transfer.Kind switch
        {
            TransferKind.LateWriteBack => "late write-back",
            TransferKind.ReleasedResult => "result write-back (release)",
            _ => "result write-back (end of run)",
        };
        Transfer(name, "transfer", Micro(_cursorSeconds), transfer.Cost, transfer.OpIndex, transfer.Iteration, transfer.TensorId);
        _cursorSeconds += transfer.Cost.Seconds;
        Counter(Micro(_cursorSeconds), transfer.HeldBytes);
        FlushIfFull();
    }

    /// <inheritdoc />
    public void OnFinish(SimulationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        ThrowIfClosed();
        Close(report);
    }

    /// <summary>Completes the JSON (if <see cref="OnFinish"/> did not) and closes the stream unless left open.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        try
        {
            if (!_closed)
            {
                Close(null);
            }
            _json.Dispose();
        }
        finally
        {
            if (!_leaveOpen)
            {
                _stream.Dispose();
            }
        }
    }

    private void Close(SimulationReport? report)
    {
        _closed = true;
        _json.WriteEndArray();
        _json.WriteStartObject("otherData");
        _json.WriteString("generator", "onsram");
        if (report is not null)
        {
            _json.WriteString("policy", report.Policy);
            _json.WriteString("config", report.Config.Name);
            _json.WriteNumber("ops", report.Totals.Ops);
            _json.WriteNumber("latency_seconds", report.Totals.LatencySeconds);
        }
        else
        {
            _json.WriteBoolean("incomplete", true);
        }
        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.Flush();
        _stream.WriteByte((byte)'\n');
        _stream.Flush();
    }

    private void Transfer(string name, string category, double ts, in OpCost cost, int opIndex, int iteration, long tensorId)
    {
        _json.WriteStartObject();
        Common(name, "X", ts, MemoryTrack);
        _json.WriteString("cat", category);
        _json.WriteNumber("dur", Micro(category == "dma" ? cost.ExternalSeconds : cost.Seconds));
        _json.WriteStartObject("args");
        _json.WriteNumber("op_index", opIndex);
        _json.WriteNumber("iteration", iteration);
        if (tensorId >= 0)
        {
            _json.WriteNumber("tensor_id", tensorId);
        }
        _json.WriteNumber("dram_bytes_read", cost.ExternalReadBytes);
        _json.WriteNumber("dram_bytes_written", cost.ExternalWriteBytes);
        _json.WriteNumber("energy_joules", category == "dma" ? cost.ExternalJoules : cost.EnergyJoules);
        _json.WriteEndObject();
        _json.WriteEndObject();
        EventCount++;
    }

    private void Counter(double ts, long heldBytes)
    {
        if (heldBytes == _lastHeld)
        {
            return;
        }
        _lastHeld = heldBytes;
        _json.WriteStartObject();
        Common(SpmCounter, "C", ts, IterationTrack);
        _json.WriteStartObject("args");
        _json.WriteNumber("held_bytes", heldBytes);
        _json.WriteEndObject();
        _json.WriteEndObject();
        EventCount++;
    }

    private void Common(string name, string phase, double ts, int tid)
    {
        _json.WriteString("name", name);
        _json.WriteString("ph", phase);
        _json.WriteNumber("ts", ts);
        _json.WriteNumber("pid", ProcessId);
        _json.WriteNumber("tid", tid);
    }

    private void Metadata(string name, int tid, string value, bool process = false)
    {
        _json.WriteStartObject();
        Common(name, "M", 0, process ? 0 : tid);
        _json.WriteStartObject("args");
        _json.WriteString("name", value);
        _json.WriteEndObject();
        _json.WriteEndObject();
        EventCount++;
    }

    private void SortIndex(int tid)
    {
        _json.WriteStartObject();
        Common("thread_sort_index", "M", 0, tid);
        _json.WriteStartObject("args");
        _json.WriteNumber("sort_index", tid);
        _json.WriteEndObject();
        _json.WriteEndObject();
        EventCount++;
    }

    private void FlushIfFull()
    {
        if (_json.BytesPending >= FlushThreshold)
        {
            _json.Flush();
        }
    }

    private void ThrowIfClosed()
    {
        if (_closed || _disposed)
        {
            throw new InvalidOperationException("the timeline is complete; a new run needs a new writer");
        }
    }

    private static double Micro(double seconds) => seconds * 1e6;

    private static string BoundName(BoundBy b) => b switch
    {
        BoundBy.Compute => "compute",
        BoundBy.External => "external",
        _ => "spm",
    };
}
