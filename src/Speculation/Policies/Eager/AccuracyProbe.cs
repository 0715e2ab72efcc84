using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Events;
using OnSram.Speculation.Policies.Oracle;
using OnSram.Speculation.Simulation;

namespace OnSram.Speculation.Policies.Eager;

/// <summary>One hold/discard decision of a policy, as the accuracy probe compares it.</summary>
/// <param name="OpIndex">The producing op.</param>
/// <param name="OutputIndex">Which output.</param>
/// <param name="Iteration">Its iteration.</param>
/// <param name="IsHold">True: hold.</param>
/// <param name="Known">True when the decision came from a history entry (false: the default for unknown signatures).</param>
/// <param name="TensorId">The tensor.</param>
/// <param name="Bytes">Its device bytes.</param>
/// <param name="OpType">The producer's type.</param>
/// <param name="Signature">The producer's signature (16 hex digits).</param>
public readonly record struct DecisionRecord(int OpIndex, int OutputIndex, int Iteration, bool IsHold, bool Known, long TensorId, long Bytes, string OpType, string Signature);

/// <summary>Prediction accuracy of one iteration.</summary>
/// <param name="Iteration">The iteration.</param>
/// <param name="Decisions">Hold/discard decisions compared.</param>
/// <param name="Agreements">Decisions the oracle took the same way.</param>
public readonly record struct AccuracyFigures(int Iteration, long Decisions, long Agreements)
{
    /// <summary>Agreements over decisions (1 when there were none).</summary>
    public double Accuracy => Decisions == 0 ? 1 : (double)Agreements / Decisions;
}

/// <summary>
/// Prediction accuracy: the fraction of a policy's hold/discard decisions that the oracle takes the same way on
/// the same event stream. The oracle is simulated on its own (its own SPM state; it sees the whole stream first)
/// and its answer for each (op index, output index) is compared with the policy's.
/// </summary>
public static class AccuracyProbe
{
    /// <summary>The oracle's decisions for <paramref name="events"/> on a device configured by <paramref name="config"/>.</summary>
    public static IReadOnlyDictionary<(int OpIndex, int OutputIndex), bool> OracleDecisions(IReadOnlyList<SimEvent> events, AcceleratorConfig config)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(config);
        var oracle = new OraclePolicy(config);
        var sim = new Simulator(oracle, config);
        foreach (var e in events)
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
        var map = new Dictionary<(int, int), bool>(oracle.Decisions.Count);
        foreach (var d in oracle.Decisions)
        {
            map[(d.OpIndex, d.OutputIndex)] = d.IsHold;
        }
        return map;
    }

    /// <summary>
    /// Compares <paramref name="decisions"/> with the oracle's, per iteration (<paramref name="iterations"/> of
    /// them; later iteration indices count in the last), and lists the disagreements.
    /// </summary>
    public static IReadOnlyList<AccuracyFigures> Compare(IReadOnlyList<DecisionRecord> decisions,
        IReadOnlyDictionary<(int OpIndex, int OutputIndex), bool> oracle, int iterations, out IReadOnlyList<DecisionRecord> disagreements)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        ArgumentNullException.ThrowIfNull(oracle);
        var count = Math.Max(1, iterations);
        var total = new long[count];
        var agree = new long[count];
        var wrong = new List<DecisionRecord>();
        foreach (var d in decisions)
        {
            if (!oracle.TryGetValue((d.OpIndex, d.OutputIndex), out var hold))
            {
                continue;
            }
            var i = Math.Clamp(d.Iteration, 0, count - 1);
            total[i]++;
            if (hold == d.IsHold)
            {
                agree[i]++;
            }
            else
            {
                wrong.Add(d);
            }
        }
        disagreements = wrong;
        var result = new AccuracyFigures[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = new AccuracyFigures(i, total[i], agree[i]);
        }
        return result;
    }
}
