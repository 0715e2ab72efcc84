using OnSram.Speculation.Logging;

namespace OnSram.Speculation.Policies.Eager;

/// <summary>
/// Options of the eager policy (<see cref="OnSramEagerPolicy"/>). Immutable; checked once when the policy is
/// created.
/// </summary>
/// <param name="HistoryPath">History file: loaded when the policy is created (a missing file is a cold start; an
/// unusable one throws <see cref="HistoryFileException"/>) and saved when the run finishes. Null: none.
/// <c>ONSRAM_HISTORY</c> sets it.</param>
/// <param name="History">A table to start from (copied; the policy learns into its copy). Takes precedence over
/// loading <paramref name="HistoryPath"/>, which is then only saved to.</param>
/// <param name="ComputeAccuracy">Compare every hold/discard decision with the oracle's for the same stream at the
/// end of the run (<c>prediction_accuracy</c> in the report). It records the event stream and simulates it once
/// more with the oracle: memory and time grow with the run.</param>
/// <param name="Log">A speculation log to write predictions and outcomes to when the simulator is not given one
/// (normally the simulator hands its log over, see <see cref="ILogAwarePolicy"/>).</param>
/// <param name="Errors">Where non-fatal failures go (a history file that cannot be saved). Default: standard error.</param>
public sealed record EagerOptions(
    string? HistoryPath = null,
    HistoryTable? History = null,
    bool ComputeAccuracy = true,
    ISpeculationLog? Log = null,
    TextWriter? Errors = null)
{
    /// <summary>The environment variable naming the history file.</summary>
    public const string HistoryVariable = "ONSRAM_HISTORY";

    /// <summary>Defaults: no history file, accuracy on.</summary>
    public static EagerOptions Default { get; } = new();

    /// <summary>Options from the environment: <c>ONSRAM_HISTORY=path</c> (empty or unset: none).</summary>
    public static EagerOptions FromEnvironment(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var path = getVariable(HistoryVariable);
        return new EagerOptions(HistoryPath: string.IsNullOrWhiteSpace(path) ? null : path.Trim());
    }
}
