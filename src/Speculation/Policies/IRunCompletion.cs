using OnSram.Speculation.Simulation;

namespace OnSram.Speculation.Policies;

/// <summary>
/// Optional: the policy is told when the run is finished (after the end-of-run write-backs, before the report
/// is built) and may add its own figures to the report (e.g. the eager policy's <c>prediction_accuracy</c>).
/// Learning policies also persist what they learned here. Called once per simulation.
/// </summary>
public interface IRunCompletion
{
    /// <summary>The run is finished; returns figures to add to the report, or null for none.</summary>
    PolicyFigures? OnRunFinished(RunFinished run);
}

/// <summary>What the simulator knows when the run is finished.</summary>
/// <param name="Totals">Figures of the whole run.</param>
/// <param name="Iterations">Figures per iteration (final).</param>
public sealed record RunFinished(SimFigures Totals, IReadOnlyList<SimFigures> Iterations);

/// <summary>
/// Figures a policy adds to the report: snake_case keys with numeric values, for the whole run and per
/// iteration (the iteration lists are aligned with <see cref="SimulationReport.Iterations"/>; an iteration may
/// lack a key, e.g. when it made no decision). Written after the simulator's own keys.
/// </summary>
/// <param name="Totals">Keys for the whole run, in the order they are written.</param>
/// <param name="Iterations">Keys per iteration, in the order they are written.</param>
public sealed record PolicyFigures(
    IReadOnlyList<KeyValuePair<string, double>> Totals,
    IReadOnlyList<IReadOnlyList<KeyValuePair<string, double>>> Iterations)
{
    /// <summary>The value of <paramref name="key"/> in iteration <paramref name="iteration"/>, or null.</summary>
    public double? Iteration(int iteration, string key)
    {
        if ((uint)iteration >= (uint)Iterations.Count)
        {
            return null;
        }
        foreach (var kv in Iterations[iteration])
        {
            if (kv.Key == key)
            {
                return kv.Value;
            }
        }
        return null;
    }

    /// <summary>The value of <paramref name="key"/> for the whole run, or null.</summary>
    public double? Total(string key)
    {
        foreach (var kv in Totals)
        {
            if (kv.Key == key)
            {
                return kv.Value;
            }
        }
        return null;
    }
}
