namespace OnSram.Workloads.Layers;

/// <summary>Keras padding names (<c>same</c>, <c>valid</c>) to TensorFlow's attribute values.</summary>
internal static class Padding
{
    public static string ToAttr(string padding) => padding?.ToLowerInvariant() switch
    {
        "same" => "SAME",
        "valid" => "VALID",
        _ => throw new ArgumentException($"padding must be 'same' or 'valid', got '{padding}'"),
    };
}
