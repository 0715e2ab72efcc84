using OnSram.Cli.Bench;
using OnSram.Speculation.Policies;

namespace OnSram.Cli.Tests.Bench;

public sealed class PolicyOrderTests
{
    [Fact]
    public void Sort_MixedNames_BaselineFirstThenPreferredThenLiveFormsThenOthersByName()
    {
        var sorted = PolicyOrder.Sort(["zeta", "infinite", "static-live", "LRU", "static", "baseline", "alpha", "lru"]);

        sorted.Should().Equal("baseline", "lru", "static", "static-live", "infinite", "alpha", "zeta");
    }

    [Fact]
    public void Defaults_Registry_EveryPolicyButLiveFormsBaselineFirst()
    {
        var registry = PolicyRegistry.Default;

        var defaults = PolicyOrder.Defaults(registry);

        defaults[0].Should().Be("baseline");
        defaults.Should().Contain(["lru", "infinite"]).And.NotContain(p => p.EndsWith("-live", StringComparison.Ordinal));
        defaults.Should().HaveCount(registry.Names.Count(n => !n.EndsWith("-live", StringComparison.Ordinal)));
        defaults[^1].Should().Be("infinite", "the upper bound closes the list when no unknown policy is registered");
    }

    [Fact]
    public void All_RegistryWithUnknownPolicy_PutsItAfterTheKnownOnes()
    {
        var registry = PolicyRegistry.Default.With("aardvark", c => PolicyRegistry.Default.Create("lru", c));

        PolicyOrder.All(registry)[^1].Should().Be("aardvark");
    }
}
