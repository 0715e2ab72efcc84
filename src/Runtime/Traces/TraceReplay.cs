using System.Globalization;
using OnSram.Accelerator.Configuration;
using OnSram.Runtime.Ops;
using OnSram.Runtime.Simulation;
using OnSram.Runtime.Traces.ScaleSim;
using OnSram.Speculation.Policies;
using OnSram.Speculation.Simulation;

namespace OnSram.Runtime.Traces;

/// <summary>Options of a <see cref="TraceReplay"/>.</summary>
/// <param name="Policy">Policy name (from <paramref name="Policies"/>).</param>
/// <param name="Config">Accelerator configuration; the <c>paper</c> preset when null.</param>
/// <param name="LogPath">Speculation log file (JSON lines); null for none.</param>
/// <param name="SkipBadLines">Count and skip malformed lines instead of stopping at the first one.</param>
/// <param name="Recorder">Receives every op record and transfer as produced (e.g. a timeline writer); null for none.</param>
/// <param name="Errors">Where notes and log failures go (standard error when null).</param>
/// <param name="Registry">Op registry that plans the trace's ops; <see cref="OpRegistry.Default"/> when null.</param>
/// <param name="Policies">Policy registry; <see cref="PolicyRegistry.Default"/> when null.</param>
/// <param name="LargeStreamEvents">Events after which a policy that buffers the stream gets a note on <paramref name="Errors"/>.</param>
public sealed record TraceReplayOptions(
    string Policy = "baseline",
    AcceleratorConfig? Config = null,
    string? LogPath = null,
    bool SkipBadLines = false,
    ISimulationRecorder? Recorder = null,
    TextWriter? Errors = null,
    OpRegistry? Registry = null,
    PolicyRegistry? Policies = null,
    long LargeStreamEvents = TraceReplay.DefaultLargeStreamEvents);

/// <summary>What a replay produced.</summary>
/// <param name="Report">The simulation report (with <see cref="SimulationReport.SkippedLines"/> and
/// <see cref="SimulationReport.UnknownOps"/> from the trace).</param>
/// <param name="Statistics">What the reader counted.</param>
/// <param name="Header">The trace's header (null for an imported SCALE-Sim topology).</param>
public sealed record TraceReplayResult(SimulationReport Report, TraceStatistics Statistics, TraceHeader? Header);

/// <summary>
/// Replays a trace through the simulator exactly as a live run is simulated: the simulator is built by
/// <see cref="SimulationSession.Open(ISpmPolicy, AcceleratorConfig?, SimulationSessionOptions?)"/>, the same
/// construction <c>ONSRAM=&lt;policy&gt;</c> and <see cref="SimulationSession.Attach(EagerContext, string, AcceleratorConfig?, SimulationSessionOptions?)"/>
/// use, and fed by a <see cref="TraceReader"/> through the session's sink. So the replay of a recorded run
/// gives the live run's report, byte for byte (<see cref="OnSram.Speculation.Reports.ReportJson"/>). Memory
/// stays flat whatever the trace's length, except under a policy that previews the whole stream
/// (<see cref="IStreamPreview"/>), which buffers every event until the end (a note says so on
/// <see cref="TraceReplayOptions.Errors"/> once the stream reaches <see cref="TraceReplayOptions.LargeStreamEvents"/> events).
/// </summary>
public static class TraceReplay
{
    /// <summary>Default of <see cref="TraceReplayOptions.LargeStreamEvents"/>: a million events.</summary>
    public const long DefaultLargeStreamEvents = 1_000_000;

    /// <summary>Replays the trace file at <paramref name="path"/> (<c>.jsonl</c> or gzipped).</summary>
    /// <exception cref="TraceFormatException">A malformed line (unless skipped) or a bad header.</exception>
    /// <exception cref="ArgumentException">The policy name is unknown (the message lists the allowed ones).</exception>
    public static TraceReplayResult Run(string path, TraceReplayOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(options);
        var (policy, config) = CreatePolicy(options);
        using var reader = TraceReader.Open(path, ReaderOptions(options));
        return Run(reader, policy, config, options);
    }

    /// <summary>Replays the remaining lines of <paramref name="reader"/> (its own options decide skipping and planning).</summary>
    /// <exception cref="TraceFormatException">A malformed line (unless the reader skips them).</exception>
    public static TraceReplayResult Run(TraceReader reader, TraceReplayOptions options)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(options);
        var (policy, config) = CreatePolicy(options);
        return Run(reader, policy, config, options);
    }

    /// <summary>Simulates a SCALE-Sim topology's synthetic trace (see <see cref="ScaleSimTopology"/>).</summary>
    /// <exception cref="TraceFormatException">The registry rejects a layer (the message names its row).</exception>
    public static TraceReplayResult Run(ScaleSimTopology topology, TraceReplayOptions options)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(options);
        var (policy, config) = CreatePolicy(options);
        using var session = Open(policy, config, options);
        var statistics = topology.Emit(session.Sink, ReaderOptions(options));
        return new TraceReplayResult(Complete(session, statistics), statistics, null);
    }

    private static TraceReplayResult Run(TraceReader reader, ISpmPolicy policy, AcceleratorConfig config, TraceReplayOptions options)
    {
        using var session = Open(policy, config, options);
        var sink = session.Sink;
        var statistics = reader.Statistics;
        var noted = policy is not IStreamPreview;
        while (reader.ReadNext(sink))
        {
            if (!noted && statistics.Events >= options.LargeStreamEvents)
            {
                noted = true;
                Note(options, string.Create(CultureInfo.InvariantCulture,
                    $"onsram: note: policy '{policy.Name}' previews the whole stream: every event is kept in memory until the end of the trace ({statistics.Events:N0} events so far; about 1 KB per op with the policy's plan)"));
            }
        }
        return new TraceReplayResult(Complete(session, statistics), statistics, reader.Header);
    }

    private static SimulationSession Open(ISpmPolicy policy, AcceleratorConfig config, TraceReplayOptions options) =>
        SimulationSession.Open(policy, config, new SimulationSessionOptions(LogPath: options.LogPath, Errors: options.Errors, Recorder: options.Recorder));

    private static SimulationReport Complete(SimulationSession session, TraceStatistics statistics)
    {
        var report = session.Report();
        if (statistics.BadLines == 0 && statistics.UnknownOps.Count == 0)
        {
            return report;
        }
        var unknown = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, count) in statistics.UnknownOps)
        {
            unknown[name] = count;
        }
        return report with { SkippedLines = statistics.BadLines, UnknownOps = unknown };
    }

    private static (ISpmPolicy Policy, AcceleratorConfig Config) CreatePolicy(TraceReplayOptions options)
    {
        var config = (options.Config ?? AcceleratorPresets.Paper).Validate();
        return ((options.Policies ?? PolicyRegistry.Default).Create(options.Policy, config), config);
    }

    private static TraceReaderOptions ReaderOptions(TraceReplayOptions options) =>
        new(SkipBadLines: options.SkipBadLines, Registry: options.Registry);

    private static void Note(TraceReplayOptions options, string line)
    {
        try
        {
            (options.Errors ?? Console.Error).WriteLine(line);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // A note that cannot be shown is not worth stopping the replay for.
        }
    }
}
