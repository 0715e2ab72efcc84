namespace OnSram.Speculation.Planning;

/// <summary>Where a run left its plan: the op (or iteration end) at which the program diverged from the
/// captured graph, and why.</summary>
/// <param name="Iteration">Iteration index.</param>
/// <param name="OpIndex">Op index in the run (for an iteration that ended early: the ops executed before its end).</param>
/// <param name="Position">Position in the iteration.</param>
/// <param name="Message">What differs.</param>
public sealed record PlanWarning(int Iteration, int OpIndex, int Position, string Message);

/// <summary>How a planned policy learns the graph.</summary>
public enum PlanMode
{
    /// <summary>From the whole stream before it is simulated (<c>IStreamPreview</c>): every iteration is planned from
    /// its own graph (identical graphs share a plan); iteration 1 is planned too.</summary>
    Preview,

    /// <summary>Capture then apply: iteration 1 runs as the baseline while its graph is captured; its plan is
    /// applied to the later iterations, op by op, each checked against the captured graph.</summary>
    Live,
}
