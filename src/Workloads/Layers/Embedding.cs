using OnSram.Runtime;
using static OnSram.Runtime.Binding;

namespace OnSram.Workloads.Layers;

/// <summary>Keras <c>Embedding</c>: one <c>GatherV2</c> of rows of a [input_dim, output_dim] table by integer ids.</summary>
public sealed class Embedding : Layer
{
    private Tensor? _table;

    /// <summary>Creates the layer.</summary>
    /// <param name="input_dim">Vocabulary size.</param>
    /// <param name="output_dim">Embedding size.</param>
    /// <param name="dtype">Dtype of the table (the ids are integers).</param>
    /// <param name="name">Layer name.</param>
    public Embedding(int input_dim, int output_dim, DType dtype = DType.Float32, string? name = null) : base(name)
    {
        if (input_dim <= 0 || output_dim <= 0)
        {
            throw new ArgumentException($"input_dim and output_dim must be positive, got {input_dim} and {output_dim}");
        }
        if (!dtype.IsFloating())
        {
            throw new ArgumentException($"the embedding table must be floating, got {dtype.Name()}");
        }
        InputDim = input_dim;
        OutputDim = output_dim;
        TableDType = dtype;
    }

    /// <summary>Vocabulary size.</summary>
    public int InputDim { get; }

    /// <summary>Embedding size.</summary>
    public int OutputDim { get; }

    /// <summary>Dtype of the table.</summary>
    public DType TableDType { get; }

    /// <inheritdoc />
    protected override void OnBuild(Shape inputShape, DType dtype) =>
        _table = AddWeight("embeddings", new Shape(InputDim, OutputDim), TableDType, Initializer.Uniform(-0.05, 0.05));

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input)
    {
        if (!input.dtype.IsInteger())
        {
            throw new ArgumentException($"layer '{Name}' (Embedding) needs integer ids, got {input.dtype.Name()}");
        }
        return Emit.Scoped(() => tf.gather(_table!, input));
    }
}
