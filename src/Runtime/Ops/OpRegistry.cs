using System.Collections.Frozen;
using System.Reflection;

namespace OnSram.Runtime.Ops;

/// <summary>
/// Op types by TensorFlow name. <see cref="Default"/> holds every built-in definition of this assembly,
/// discovered once; <see cref="With"/> returns a registry extended with user-defined ops.
/// </summary>
public sealed class OpRegistry
{
    private static readonly Lazy<OpRegistry> s_default = new(Discover);
    private readonly FrozenDictionary<string, IOpDefinition> _ops;

    private OpRegistry(FrozenDictionary<string, IOpDefinition> ops) => _ops = ops;

    /// <summary>The built-in ops.</summary>
    public static OpRegistry Default => s_default.Value;

    /// <summary>All registered op type names, sorted.</summary>
    public IReadOnlyList<string> OpTypes => _ops.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Looks up an op type.</summary>
    public bool TryGet(string opType, out IOpDefinition definition) => _ops.TryGetValue(opType, out definition!);

    /// <summary>A registry with <paramref name="definitions"/> added (replacing same-named ops).</summary>
    public OpRegistry With(params IOpDefinition[] definitions)
    {
        var d = new Dictionary<string, IOpDefinition>(_ops, StringComparer.Ordinal);
        foreach (var def in definitions)
        {
            d[def.OpType] = def;
        }
        return new OpRegistry(d.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private static OpRegistry Discover()
    {
        var d = new Dictionary<string, IOpDefinition>(StringComparer.Ordinal);
        var types = typeof(OpRegistry).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IOpDefinition).IsAssignableFrom(t)
                        && t.GetConstructor(BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
        foreach (var t in types)
        {
            var def = (IOpDefinition)Activator.CreateInstance(t)!;
            if (!d.TryAdd(def.OpType, def))
            {
                throw new InvalidOperationException($"op type '{def.OpType}' is defined twice: {d[def.OpType].GetType().FullName} and {t.FullName}");
            }
        }
        return new OpRegistry(d.ToFrozenDictionary(StringComparer.Ordinal));
    }
}
