using OnSram.Runtime;
using OnSram.Workloads.Layers;

namespace OnSram.Workloads.Models;

/// <summary>
/// One Transformer encoder block at BERT-base sizes (Devlin et al. 2019; hidden 768, 12 heads of 64,
/// feed-forward 3072, sequence 128, batch 1), as BERT's <c>transformer_model</c> computes one layer:
/// multi-head self-attention (see <see cref="MultiHeadAttention"/>), dropout (identity), residual AddV2
/// and LayerNormalization (epsilon 1e-12); Dense 3072 with exact GELU, Dense 768, dropout, residual AddV2
/// and LayerNormalization. No embeddings, no attention mask, no pooler. Input: hidden states
/// [1, 128, 768]. 7,087,872 parameters (one of BERT-base's twelve encoder layers).
/// </summary>
public static class Mha
{
    /// <summary>Hidden size.</summary>
    public const int Hidden = 768;

    /// <summary>Attention heads.</summary>
    public const int Heads = 12;

    /// <summary>Feed-forward size.</summary>
    public const int Intermediate = 3072;

    /// <summary>Sequence length.</summary>
    public const int Sequence = 128;

    /// <summary>The registry entry.</summary>
    public static NetworkSpec Spec() => new("mha",
        "Transformer encoder block, BERT-base sizes (768 hidden, 12 heads, FFN 3072), sequence 128",
        "Devlin et al. 2019 'BERT' (google-research/bert modeling.py, one transformer layer)",
        new Shape(1, Sequence, Hidden), DType.Float32, false, (_, _) => Build());

    /// <summary>Builds the layer tree.</summary>
    public static Layer Build() => Blocks.Seq("mha",
        new Branches(new Add("attention_residual"),
            new Layer?[]
            {
                Blocks.Seq("attention_branch",
                    new MultiHeadAttention(Heads, Hidden / Heads, name: "attention"),
                    new Dropout(0.1, "attention_dropout")),
                null,
            }, "attention_block"),
        new LayerNormalization(1e-12f, "attention_norm"),
        new Branches(new Add("ffn_residual"),
            new Layer?[]
            {
                Blocks.Seq("ffn_branch",
                    new Dense(Intermediate, "gelu", name: "intermediate"),
                    new Dense(Hidden, name: "output"),
                    new Dropout(0.1, "output_dropout")),
                null,
            }, "ffn_block"),
        new LayerNormalization(1e-12f, "output_norm"));
}
