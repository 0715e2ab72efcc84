using BenchmarkDotNet.Attributes;
using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Events;
using OnSram.Speculation.Policies;
using OnSram.Speculation.Simulation;

namespace OnSram.Benchmarks;

/// <summary>
/// The simulator alone: a synthetic ResNet-like stream (<see cref="SimulatorStreams"/>) replayed from memory
/// into a fresh simulator per invocation. Results are per simulated op (OperationsPerInvoke), so ops/s =
/// 1 / mean. Run: <c>dotnet run -c Release --project bench/OnSram.Benchmarks -- --filter '*SimulatorBenchmarks*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class SimulatorBenchmarks
{
    private const int Inferences = 20;
    private static readonly SimEvent[] s_events = SimulatorStreams.ResNetLike(Inferences);
    private static readonly int s_ops = s_events.Count(e => e.Kind == SimEventKind.Op);

    /// <summary>The policy simulated.</summary>
    [Params("baseline", "lru", "infinite")]
    public string Policy { get; set; } = "baseline";

    /// <summary>Ops per invocation (for the ops/s figure).</summary>
    public const int OpsPerInvoke = 3500;

    /// <summary>Replays the stream once.</summary>
    [Benchmark(OperationsPerInvoke = OpsPerInvoke)]
    public SimFigures Replay()
    {
        if (s_ops != OpsPerInvoke)
        {
            throw new InvalidOperationException($"the stream has {s_ops} ops; update OpsPerInvoke");
        }
        var config = AcceleratorPresets.Paper;
        var sim = new Simulator(PolicyRegistry.Default.Create(Policy, config), config);
        foreach (ref readonly var e in s_events.AsSpan())
        {
            switch (e.Kind)
            {
                case SimEventKind.Op:
                    var op = e.Op;
                    sim.OnOp(in op);
                    break;
                case SimEventKind.Release:
                    sim.OnRelease(e.TensorId);
                    break;
                default:
                    sim.OnMark(e.Label!);
                    break;
            }
        }
        sim.Finish();
        return sim.Totals;
    }
}
