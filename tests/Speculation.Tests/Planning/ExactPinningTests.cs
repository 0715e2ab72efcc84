using OnSram.Accelerator;
using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Events;
using OnSram.Speculation.Graphs;
using OnSram.Speculation.Planning;
using OnSram.Speculation.Policies.Static;
using OnSram.Speculation.Tests.Support;

namespace OnSram.Speculation.Tests.Planning;

public sealed class ExactPinningTests
{
    private static AcceleratorConfig Spm(long blocks) => new(SpmBytes: blocks * 64, StreamBufferBytes: 0);

    /// <summary>A random DAG: each op reads one or two earlier tensors (or the input) and makes one output of
    /// 1 to 4 blocks; a third of the ops are windowed convolutions (no hand-over when it is restricted to elementwise
    /// ops).</summary>
    private static DataflowGraph RandomGraph(int seed, int ops)
    {
        var random = new Random(seed);
        var s = new StreamBuilder();
        var pool = new List<TensorInfo> { s.Tensor(32) };
        for (var k = 0; k < ops; k++)
        {
            var first = pool[random.Next(pool.Count)];
            var inputs = random.Next(3) == 0 ? new[] { first, pool[random.Next(pool.Count)] } : new[] { first };
            var shape = new long[] { 32L * random.Next(1, 5) };
            var output = random.Next(3) == 0
                ? s.Op("Conv2D", ComputeUnit.Matrix, 1000, inputs, shape, new OpTraits(9, 3, 3))
                : s.Vector("V" + k, inputs, shape);
            pool.Add(output);
        }
        return s.Graph();
    }

    /// <summary>Occupancy of a pinned set, computed independently of CapacityProfile: blocks live over
    /// [producer, last reader], minus, at an op (an elementwise SIMD op only, with <paramref name="elementwiseOnly"/>),
    /// the largest min(giver, taker) over a pinned input dying there and a pinned output born there.</summary>
    private static bool Feasible(DataflowGraph g, IReadOnlyCollection<int> pinned, long budget, bool handOver, bool elementwiseOnly = false)
    {
        long Block(GraphTensor t) => (t.DeviceBytes + 63) / 64 * 64;
        for (var p = 0; p < g.OpCount; p++)
        {
            long occupancy = pinned.Select(i => g.Tensors[i]).Where(t => t.Producer <= p && p <= t.LastUse).Sum(Block);
            var op = g.Ops[p];
            if (handOver && (!elementwiseOnly || (op.Unit == ComputeUnit.Vector && !op.Traits.HasWindow)))
            {
                long best = 0;
                foreach (var i in op.DistinctInputs.Where(i => pinned.Contains(i) && g.Tensors[i].LastUse == p))
                {
                    foreach (var o in op.Outputs.Where(pinned.Contains))
                    {
                        best = Math.Max(best, Math.Min(Block(g.Tensors[i]), Block(g.Tensors[o])));
                    }
                }
                occupancy -= best;
            }
            if (occupancy > budget)
            {
                return false;
            }
        }
        return true;
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void Solve_RandomSmallGraphs_GreedyNeverBeatsExactAndExactIsFeasible(bool handOver, bool elementwiseOnly)
    {
        for (var seed = 1; seed <= 40; seed++)
        {
            var g = RandomGraph(seed, 6 + seed % 9);
            var blocks = 3 + seed % 5;
            var config = Spm(blocks);

            var exact = ExactPinning.Solve(g, config, handOver: handOver, handOverElementwiseOnly: elementwiseOnly);
            var plan = new StaticPlanner(config, new StaticPlannerOptions(HandOver: handOver, HandOverElementwiseOnly: elementwiseOnly)).Plan(g);
            // The greedy's byte-level choice, before addresses are placed.
            var greedy = plan.Pinned.Concat(plan.PlacementFailures.Select(f => f.Tensor)).ToArray();

            Feasible(g, exact.Pinned.ToArray(), blocks * 64, handOver, elementwiseOnly).Should().BeTrue($"seed {seed}: the exact set must respect the capacity");
            Feasible(g, greedy, blocks * 64, handOver, elementwiseOnly).Should().BeTrue($"seed {seed}: the greedy set must respect the capacity");
            exact.SavedBytes.Should().Be(exact.Pinned.Sum(i => ExactPinning.SavedBytes(g.Tensors[i])));
            greedy.Sum(i => ExactPinning.SavedBytes(g.Tensors[i])).Should().BeLessThanOrEqualTo(exact.SavedBytes, $"seed {seed}");
        }
    }

    [Fact]
    public void Solve_TinyGraphs_EqualsBruteForceOptimum()
    {
        for (var seed = 100; seed < 120; seed++)
        {
            var g = RandomGraph(seed, 9);
            var blocks = 2 + seed % 4;
            var candidates = g.Activations.Select(t => t.Index).ToArray();
            long best = 0;
            for (var mask = 0; mask < 1 << candidates.Length; mask++)
            {
                var set = candidates.Where((_, k) => (mask & (1 << k)) != 0).ToArray();
                if (Feasible(g, set, blocks * 64, handOver: true))
                {
                    best = Math.Max(best, set.Sum(i => ExactPinning.SavedBytes(g.Tensors[i])));
                }
            }

            ExactPinning.Solve(g, Spm(blocks)).SavedBytes.Should().Be(best, $"seed {seed}");
        }
    }

    [Fact]
    public void Solve_TooManyCandidates_Throws()
    {
        var s = new StreamBuilder();
        var t = s.Tensor(32);
        for (var k = 0; k <= ExactPinning.MaxCandidates + 1; k++)
        {
            t = s.Vector("Relu", [t]);
        }
        var g = s.Graph();
        var act = () => ExactPinning.Solve(g, AcceleratorPresets.Paper);
        act.Should().Throw<ArgumentException>().WithMessage("*at most 64*");
    }
}
