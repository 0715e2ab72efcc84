namespace OnSram.Runtime;

/// <summary>
/// An op could not be planned or executed. The message names the op, its input shapes and, where
/// one is at fault, the attribute. Nothing was registered or computed when this is thrown.
/// </summary>
public sealed class OpException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="opType">TensorFlow op type.</param>
    /// <param name="inputs">Specs of the op's inputs.</param>
    /// <param name="detail">What is wrong.</param>
    /// <param name="attribute">The attribute at fault, if any.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public OpException(string opType, IReadOnlyList<TensorSpec> inputs, string detail, string? attribute = null, Exception? inner = null)
        : base(Compose(opType, inputs, detail, attribute), inner)
    {
        OpType = opType;
        Inputs = inputs;
        Attribute = attribute;
        Detail = detail;
    }

    /// <summary>The op type.</summary>
    public string OpType { get; }

    /// <summary>Specs of the op's inputs.</summary>
    public IReadOnlyList<TensorSpec> Inputs { get; }

    /// <summary>The attribute at fault, or null.</summary>
    public string? Attribute { get; }

    /// <summary>What is wrong, without the op context.</summary>
    public string Detail { get; }

    private static string Compose(string opType, IReadOnlyList<TensorSpec> inputs, string detail, string? attribute)
    {
        var ins = string.Join(", ", inputs.Select(s => s.ToString()));
        var attr = attribute is null ? string.Empty : $"; attribute '{attribute}'";
        return $"{opType}: {detail} (inputs: [{ins}]{attr})";
    }
}
