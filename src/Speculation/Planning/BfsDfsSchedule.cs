using OnSram.Speculation.Graphs;

namespace OnSram.Speculation.Planning;

/// <summary>
/// The BFS-DFS topological order of OnSRAM-Static. A work stack starts with the ops that read only external
/// tensors (the first in program order on top). The top op is scheduled; then all of its children that became
/// ready (every producer they read scheduled) are expanded at once (the breadth step) and pushed so that the
/// activation-bound ones (memory-bound SIMD-array ops) come out first, each kind in program order; the next op is
/// the top of the stack (the depth step). Activation-bound children are thus run right after their producer,
/// which keeps their inputs' liveness short. O(ops + edges).
/// </summary>
public static class BfsDfsSchedule
{
    /// <summary>Positions in schedule order.</summary>
    public static int[] Order(DataflowGraph graph, Func<GraphOp, bool> activationBound)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(activationBound);
        var n = graph.OpCount;
        var waiting = new int[n];
        var children = new List<int>[n];
        for (var p = 0; p < n; p++)
        {
            children[p] = new List<int>();
        }
        for (var p = 0; p < n; p++)
        {
            var producers = new HashSet<int>();
            foreach (var i in graph.Ops[p].DistinctInputs)
            {
                var producer = graph.Tensors[i].Producer;
                if (producer >= 0 && producer != p && producers.Add(producer))
                {
                    children[producer].Add(p);
                }
            }
            waiting[p] = producers.Count;
        }
        var stack = new Stack<int>();
        for (var p = n - 1; p >= 0; p--)
        {
            if (waiting[p] == 0)
            {
                stack.Push(p);
            }
        }
        var order = new List<int>(n);
        var ready = new List<int>();
        while (stack.Count > 0)
        {
            var op = stack.Pop();
            order.Add(op);
            ready.Clear();
            foreach (var c in children[op])
            {
                if (--waiting[c] == 0)
                {
                    ready.Add(c);
                }
            }
            ready.Sort();
            var bound = ready.Where(c => activationBound(graph.Ops[c])).ToList();
            var rest = ready.Where(c => !activationBound(graph.Ops[c])).ToList();
            // Pushed in reverse so that the first activation-bound child is popped first.
            for (var k = rest.Count - 1; k >= 0; k--)
            {
                stack.Push(rest[k]);
            }
            for (var k = bound.Count - 1; k >= 0; k--)
            {
                stack.Push(bound[k]);
            }
        }
        return order.ToArray();
    }

    /// <summary>The schedule step of each position (the inverse permutation of <paramref name="order"/>).</summary>
    public static int[] Steps(IReadOnlyList<int> order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var steps = new int[order.Count];
        for (var s = 0; s < order.Count; s++)
        {
            steps[order[s]] = s;
        }
        return steps;
    }
}
