using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Policies;
using OnSram.Speculation.Policies.Baseline;
using OnSram.Speculation.Policies.Infinite;
using OnSram.Speculation.Policies.Lru;
using OnSram.Speculation.Tests.Support;

namespace OnSram.Speculation.Tests.Policies;

public sealed class PolicyRegistryTests
{
    [Fact]
    public void Default_DiscoversTheReferencePolicies()
    {
        PolicyRegistry.Default.Names.Should().Contain(["baseline", "infinite", "lru"]);
        PolicyRegistry.Default.Describe("lru").Should().NotBeEmpty();
    }

    [Theory]
    [InlineData("baseline", typeof(BaselinePolicy))]
    [InlineData("INFINITE", typeof(InfinitePolicy))]
    [InlineData(" lru ", typeof(LruPolicy))]
    public void Create_KnownName_ReturnsAFreshInstanceNamedAsRegistered(string name, Type type)
    {
        var a = PolicyRegistry.Default.Create(name, AcceleratorPresets.Paper);
        var b = PolicyRegistry.Default.Create(name, AcceleratorPresets.Paper);
        a.Should().BeOfType(type);
        a.Should().NotBeSameAs(b);
        a.Name.Should().Be(name.Trim().ToLowerInvariant());
    }

    [Fact]
    public void Create_UnknownName_ListsTheAllowedNames()
    {
        FluentActions.Invoking(() => PolicyRegistry.Default.Create("bogus", AcceleratorPresets.Paper))
            .Should().Throw<ArgumentException>().WithMessage($"*'bogus'*allowed policies: {string.Join(", ", PolicyRegistry.Default.Names)}*");
    }

    [Fact]
    public void With_AddsANameWithoutChangingTheDefault()
    {
        var registry = PolicyRegistry.Default.With("hold-all", _ => new HoldAllPolicy());
        registry.Create("hold-all", AcceleratorPresets.Paper).Should().BeOfType<HoldAllPolicy>();
        PolicyRegistry.Default.Contains("hold-all").Should().BeFalse();
    }

    [Fact]
    public void Lru_TensorLargerThanTheSpm_IsDiscarded()
    {
        var config = AcceleratorPresets.Paper with { SpmBytes = 1024, StreamBufferBytes = 0 };
        var sim = new OnSram.Speculation.Simulation.Simulator(new LruPolicy(), config);
        sim.OnOp(Ev.Vector("Relu", 1, [Ev.T(1, 4096)], Ev.T(10, 4096)));
        var t = sim.Report().Totals;
        t.Discards.Should().Be(1);
        t.HoldFailures.Should().Be(0);
    }
}
