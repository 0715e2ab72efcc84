using OnSram.Speculation.Logging;

namespace OnSram.Speculation.Policies;

/// <summary>
/// Optional: the policy writes to the run's speculation log itself (its predictions, the outcomes of its
/// decisions). The simulator hands it the log it was given (<see cref="Simulation.SimulatorOptions.DecisionLog"/>)
/// once, before the first event; a policy checks for the richer <see cref="ISpeculationLog"/> and ignores other logs.
/// </summary>
public interface ILogAwarePolicy
{
    /// <summary>The log of this run.</summary>
    void AttachLog(IDecisionLog log);
}
