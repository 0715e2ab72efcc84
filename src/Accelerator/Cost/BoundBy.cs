namespace OnSram.Accelerator.Cost;

/// <summary>Which term of the cost model set an op's time.</summary>
public enum BoundBy
{
    /// <summary>Compute time on the op's array.</summary>
    Compute,

    /// <summary>External-memory (DRAM) traffic.</summary>
    External,

    /// <summary>Scratchpad traffic.</summary>
    Spm,
}
