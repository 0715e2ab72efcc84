using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Events;
using OnSram.Speculation.Policies;
using OnSram.Speculation.Simulation;
using OnSram.Speculation.Tests.Support;

namespace OnSram.Speculation.Tests.Simulation;

public sealed class SimulatorAllocationTests
{
    [Theory]
    [InlineData("baseline")]
    [InlineData("lru")]
    [InlineData("infinite")]
    public void Replay_WarmSimulator_AllocatesNothingPerOp(string policy)
    {
        // A residual chain: each op reads the previous output and one from 3 ops back, then releases it.
        const int count = 8000;
        var ops = new OpEvent[count];
        var x = Ev.T(1, 1000);
        for (var i = 0; i < count; i++)
        {
            var previous = i == 0 ? x : Ev.T(100 + i - 1, 1000 + 100 * (i % 7));
            var skip = i < 3 ? x : Ev.T(100 + i - 3, 1000 + 100 * ((i - 3) % 7));
            ops[i] = i % 5 == 0
                ? Ev.Matrix("MatMul", 1e6, [previous, Ev.T(2, 50_000)], Ev.T(100 + i, 1000 + 100 * (i % 7)))
                : Ev.Vector("AddV2", 1000, [previous, skip], Ev.T(100 + i, 1000 + 100 * (i % 7)));
        }
        var config = AcceleratorPresets.Paper with { SpmBytes = 40 * 1024 }; // 8 KiB holdable: LRU must evict
        var sim = new Simulator(PolicyRegistry.Default.Create(policy, config), config);
        void Replay(int from, int to)
        {
            for (var i = from; i < to; i++)
            {
                sim.OnOp(in ops[i]);
                if (i >= 3)
                {
                    sim.OnRelease(100 + i - 3);
                }
            }
        }

        // Warm up on a quarter of the stream, then measure three windows and keep the least: an allocation per
        // op shows in every window (at least 24 bytes x 2,000 ops), a one-off allocation by the runtime on this
        // thread (a tiered-JIT stub, a timer callback under load) does not hit all three.
        const int window = count / 4;
        Replay(0, window);
        var least = long.MaxValue;
        for (var w = 1; w < 4; w++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            Replay(w * window, (w + 1) * window);
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        least.Should().BeLessThan(window / 2, "the warm hot loop allocates nothing per op");
        sim.Totals.Ops.Should().Be(count);
        if (policy == "lru")
        {
            sim.Totals.Evictions.Should().BePositive("the eviction path is part of the hot loop");
        }
    }
}
