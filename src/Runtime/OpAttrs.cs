using System.Collections;
using System.Globalization;
using System.Text;

namespace OnSram.Runtime;

/// <summary>
/// Immutable op attributes, keyed by TensorFlow's attribute names (<c>strides</c>, <c>padding</c>, ...).
/// Values are <see cref="long"/>, <see cref="double"/>, <see cref="bool"/>, <see cref="string"/>,
/// <see cref="DType"/>, or arrays <c>long[]</c>, <c>double[]</c>, <c>string[]</c>.
/// Entries are kept sorted by name, so <see cref="CanonicalKey"/> is deterministic.
/// </summary>
public sealed class OpAttrs : IReadOnlyCollection<KeyValuePair<string, object>>
{
    private readonly KeyValuePair<string, object>[] _items;
    private string? _key;

    private OpAttrs(KeyValuePair<string, object>[] items) => _items = items;

    /// <summary>No attributes.</summary>
    public static OpAttrs Empty { get; } = new(Array.Empty<KeyValuePair<string, object>>());

    /// <summary>Number of attributes.</summary>
    public int Count => _items.Length;

    /// <summary>Returns a copy with <paramref name="name"/> set to <paramref name="value"/>.</summary>
    public OpAttrs With(string name, object value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var normalized = Normalize(name, value);
        var list = new List<KeyValuePair<string, object>>(_items.Length + 1);
        var placed = false;
        foreach (var kv in _items)
        {
            var c = string.CompareOrdinal(kv.Key, name);
            if (c == 0)
            {
                list.Add(new(name, normalized));
                placed = true;
                continue;
            }
            if (c > 0 && !placed)
            {
                list.Add(new(name, normalized));
                placed = true;
            }
            list.Add(kv);
        }
        if (!placed)
        {
            list.Add(new(name, normalized));
        }
        return new OpAttrs(list.ToArray());
    }

    /// <summary>Builds attributes from name/value pairs.</summary>
    public static OpAttrs Of(params (string Name, object Value)[] pairs)
    {
        var a = Empty;
        foreach (var (n, v) in pairs)
        {
            a = a.With(n, v);
        }
        return a;
    }

    /// <summary>True when the attribute is present.</summary>
    public bool Contains(string name) => IndexOf(name) >= 0;

    /// <summary>Looks up a raw value.</summary>
    public bool TryGet(string name, out object value)
    {
        var i = IndexOf(name);
        if (i < 0)
        {
            value = null!;
            return false;
        }
        value = Detach(_items[i].Value);
        return true;
    }

    /// <summary>Canonical text of all attributes, sorted by name: <c>padding=SAME;strides=[1,2,2,1]</c>.</summary>
    public string CanonicalKey => _key ??= BuildKey();

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
    {
        foreach (var kv in _items)
        {
            yield return new(kv.Key, Detach(kv.Value));
        }
    }

    /// <summary>Arrays are handed out as copies, so no caller can change these attributes or make
    /// <see cref="CanonicalKey"/> stale.</summary>
    private static object Detach(object value) => value is Array a ? a.Clone() : value;

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => CanonicalKey;

    /// <summary>Formats one attribute value as it appears in <see cref="CanonicalKey"/>.</summary>
    public static string FormatValue(object value) => value switch
    {
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        string s => s,
        DType t => t.Name(),
        long[] la => "[" + string.Join(",", la.Select(x => x.ToString(CultureInfo.InvariantCulture))) + "]",
        double[] da => "[" + string.Join(",", da.Select(x => x.ToString("R", CultureInfo.InvariantCulture))) + "]",
        string[] sa => "[" + string.Join(",", sa) + "]",
        _ => value.ToString() ?? string.Empty,
    };

    private int IndexOf(string name)
    {
        for (var i = 0; i < _items.Length; i++)
        {
            if (string.Equals(_items[i].Key, name, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }

    private string BuildKey()
    {
        var sb = new StringBuilder();
        foreach (var kv in _items)
        {
            if (sb.Length > 0)
            {
                sb.Append(';');
            }
            sb.Append(kv.Key).Append('=').Append(FormatValue(kv.Value));
        }
        return sb.ToString();
    }

    private static object Normalize(string name, object value) => value switch
    {
        null => throw new ArgumentNullException(nameof(value), $"attribute '{name}' has no value"),
        int i => (long)i,
        long l => l,
        float f => (double)f,
        double d => d,
        bool b => b,
        string s => s,
        DType t => t,
        int[] ia => Array.ConvertAll(ia, x => (long)x),
        long[] la => (long[])la.Clone(),
        float[] fa => Array.ConvertAll(fa, x => (double)x),
        double[] da => (double[])da.Clone(),
        string[] sa => (string[])sa.Clone(),
        _ => throw new ArgumentException($"attribute '{name}' has unsupported value type {value.GetType().Name}", nameof(value)),
    };
}
