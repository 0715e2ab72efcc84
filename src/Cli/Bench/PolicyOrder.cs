using OnSram.Speculation.Policies;

namespace OnSram.Cli.Bench;

/// <summary>
/// The order policies appear in tables, files and plots: <c>baseline</c> first (speedups are relative
/// to it), then a fixed preferred order (the practical policies from simplest to most informed, the
/// oracle and the infinite-SPM bound last; a <c>-live</c> form right after its preview form), then any
/// other registered policy by name.
/// </summary>
public static class PolicyOrder
{
    /// <summary>The reference every speedup and energy reduction is relative to.</summary>
    public const string Baseline = "baseline";

    /// <summary>Preferred order of the known policy names (those not registered are skipped).</summary>
    public static IReadOnlyList<string> Preferred => s_preferred;

    private static readonly string[] s_preferred =
        [Baseline, "lru", "eager", "static", "onestep", "pin", "fuse", "pinfuse", "oracle", "infinite"];

    /// <summary>Every policy of <paramref name="registry"/>, in display order.</summary>
    public static IReadOnlyList<string> All(PolicyRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return Sort(registry.Names);
    }

    /// <summary>Suffix of the capture-then-apply forms of the graph planners (<c>static-live</c>).</summary>
    public const string LiveSuffix = "-live";

    /// <summary>
    /// The policies a bench runs by default: every registered one except the <c>-live</c> forms, whose
    /// steady state (iteration 2 on) equals their preview form's by construction (see docs/planners.md).
    /// </summary>
    public static IReadOnlyList<string> Defaults(PolicyRegistry registry) =>
        All(registry).Where(p => !p.EndsWith(LiveSuffix, StringComparison.Ordinal)).ToArray();

    /// <summary><paramref name="names"/> (lower case) in display order, duplicates removed.</summary>
    public static IReadOnlyList<string> Sort(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return names.Select(n => n.Trim().ToLowerInvariant())
            .Distinct(StringComparer.Ordinal)
            .OrderBy(Rank)
            .ThenBy(n => n, StringComparer.Ordinal)
            .ToArray();
    }

    private static (int, int) Rank(string name)
    {
        var live = name.EndsWith(LiveSuffix, StringComparison.Ordinal);
        var index = Array.IndexOf(s_preferred, live ? name[..^LiveSuffix.Length] : name);
        return (index < 0 ? int.MaxValue : index, live ? 1 : 0);
    }
}
