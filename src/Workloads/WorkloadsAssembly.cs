namespace OnSram.Workloads;

/// <summary>Marker for the workloads assembly.</summary>
public static class WorkloadsAssembly
{
}
