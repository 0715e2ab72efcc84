using OnSram.Speculation.Policies;

namespace OnSram.Cli.Bench;

/// <summary>
/// The order policies appear in tables, files and plots: <c>baseline</c> first (speedups are relative
/// to it), then a fixed preferred order (the practical policies from simplest to most informed, the
/// oracle and the infinite-SPM bound last), then any other registered policy by name.
/// </summary>
public static class PolicyOrder
{
    /// <summary>The reference every speedup and energy reduction is relative to.</summary>
    public const string Baseline = "baseline";

    /// <summary>Preferred order of the known policy names (those not registered are skipped).</summary>
    public static IReadOnlyList<string> Preferred { get; } =
        [Baseline, "lru", "eager", "static", "onestep", "pin", "fuse", "pinfuse", "oracle", "infinite"];

    /// <summary>Every policy of <paramref name="registry"/>, in display order.</summary>
    public static IReadOnlyList<string> All(PolicyRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return Sort(registry.Names);
    }

    /// <summary><paramref name="names"/> (lower case) in display order, duplicates removed.</summary>
    public static IReadOnlyList<string> Sort(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var set = names.Select(n => n.Trim().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        var ordered = Preferred.Where(set.Contains).ToList();
        ordered.AddRange(set.Except(Preferred, StringComparer.Ordinal).Order(StringComparer.Ordinal));
        return ordered;
    }
}
