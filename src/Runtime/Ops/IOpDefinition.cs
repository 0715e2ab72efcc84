namespace OnSram.Runtime.Ops;

/// <summary>
/// One TensorFlow op type: validates an invocation (inputs and attributes, with TensorFlow's defaults)
/// and returns a plan holding the output specs, FLOPs, compute unit and the kernel.
/// Implementations are sealed, stateless and have a parameterless constructor, so the built-in
/// registry discovers them.
/// </summary>
public interface IOpDefinition
{
    /// <summary>TensorFlow's op type name, e.g. <c>Conv2D</c>.</summary>
    string OpType { get; }

    /// <summary>Validates the invocation and plans it. Throws <see cref="OpException"/> on bad input.</summary>
    OpPlan Plan(OpInvocation invocation);
}
