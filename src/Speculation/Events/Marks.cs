namespace OnSram.Speculation.Events;

/// <summary>Well-known mark labels.</summary>
public static class Marks
{
    /// <summary>Closes one iteration (one inference, one training step).</summary>
    public const string Iteration = "iteration";
}
