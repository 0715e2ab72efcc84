using OnSram.Speculation.Graphs;

namespace OnSram.Speculation.Planning;

/// <summary>Plans the SPM use of one iteration graph. Deterministic: the same graph gives the same plan.</summary>
public interface IGraphPlanner
{
    /// <summary>The planner's name (the policy name it backs).</summary>
    string Name { get; }

    /// <summary>Plans <paramref name="graph"/>.</summary>
    StoragePlan Plan(DataflowGraph graph);
}
