using OnSram.Runtime;
using OnSram.Workloads.Layers;
using static OnSram.Runtime.Binding;

namespace OnSram.Workloads.Models;

/// <summary>
/// The PTB word-level language model of Zaremba et al. (2014), "medium" configuration of TensorFlow's
/// PTB tutorial: vocabulary 10,000, embedding 650, two LSTM layers of 650 units unrolled over 35 steps
/// (Keras layer by layer: all steps of layer 1, then layer 2), dropout 0.5 between layers (identity at
/// inference), a 10,000-way Dense with softmax on every step. Input: [1, 35] int32 token ids.
/// 19,775,200 parameters: embedding 6.5 M, two LSTMs 3,382,600 each, softmax 6,510,000.
/// </summary>
public static class PtbLstm
{
    /// <summary>Vocabulary size.</summary>
    public const int Vocabulary = 10000;

    /// <summary>Hidden and embedding size.</summary>
    public const int Hidden = 650;

    /// <summary>Unrolled timesteps.</summary>
    public const int Steps = 35;

    /// <summary>LSTM layers.</summary>
    public const int LstmLayers = 2;

    /// <summary>The registry entry.</summary>
    public static NetworkSpec Spec() => new("ptb_lstm",
        "PTB LSTM language model, medium (2 x 650 LSTM, 35 steps, vocabulary 10000)",
        "Zaremba et al. 2014 'Recurrent neural network regularization' (TensorFlow PTB tutorial, medium config)",
        new Shape(1, Steps), DType.Int32, false, (_, dtype) => Build(dtype), (seed, _) => Tokens(seed));

    /// <summary>Builds the layer tree; <paramref name="dtype"/> is the embedding table's (and so the activations') dtype.</summary>
    public static Layer Build(DType dtype = DType.Float32)
    {
        var layers = new List<Layer> { new Embedding(Vocabulary, Hidden, dtype, name: "embedding"), new Dropout(0.5, "embedding_dropout") };
        for (var i = 0; i < LstmLayers; i++)
        {
            layers.Add(new LSTM(Hidden, return_sequences: true, name: $"lstm_{i + 1}"));
            layers.Add(new Dropout(0.5, $"lstm_{i + 1}_dropout"));
        }
        layers.Add(new Dense(Vocabulary, "softmax", name: "softmax"));
        return new Sequential(layers, "ptb_lstm");
    }

    /// <summary>Deterministic token ids in [0, vocabulary) derived from the seed.</summary>
    private static Tensor Tokens(int seed)
    {
        var ids = new int[Steps];
        for (var i = 0; i < Steps; i++)
        {
            ids[i] = Layer.MixSeed(seed, i) % Vocabulary;
        }
        return tf.constant(ids, new Shape(1, Steps));
    }
}
