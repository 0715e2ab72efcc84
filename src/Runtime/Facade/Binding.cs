namespace OnSram.Runtime;

/// <summary>
/// The entry point scripts import, as in TensorFlow.NET: <c>using static OnSram.Runtime.Binding;</c>
/// then <c>tf.constant(...)</c>, <c>tf.nn.conv2d(...)</c>.
/// </summary>
public static class Binding
{
    /// <summary>The TensorFlow-shaped API; ops run on <see cref="EagerContext.Current"/>.</summary>
    public static TensorFlowApi tf { get; } = new();
}
