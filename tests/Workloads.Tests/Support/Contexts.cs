using OnSram.Runtime;
using OnSram.Runtime.Ops;

namespace OnSram.Workloads.Tests.Support;

/// <summary>
/// The ONE place tests get their eager contexts from. The registry is the runtime's default registry
/// plus, for op types the default registry does not define yet, the test doubles of
/// <see cref="FakeOps"/> (reference shape functions and naive float32 kernels). Once every op type is
/// built in, <see cref="FakeOpTypes"/> is empty and the tests run on the real ops unchanged; set
/// <see cref="UseFakes"/> to false to forbid the doubles entirely.
/// </summary>
public static class Contexts
{
    /// <summary>Whether test doubles may fill op types missing from the default registry.</summary>
    public static readonly bool UseFakes = true;

    private static readonly Lazy<(OpRegistry Registry, string[] Faked)> s_registry = new(() =>
    {
        if (!UseFakes)
        {
            return (OpRegistry.Default, Array.Empty<string>());
        }
        var missing = FakeOps.All.Where(f => !OpRegistry.Default.TryGet(f.OpType, out _)).ToArray();
        return (OpRegistry.Default.With(missing), missing.Select(f => f.OpType).Order(StringComparer.Ordinal).ToArray());
    });

    /// <summary>The registry every test context uses.</summary>
    public static OpRegistry Registry => s_registry.Value.Registry;

    /// <summary>Op types served by test doubles (empty once the runtime defines them all).</summary>
    public static IReadOnlyList<string> FakeOpTypes => s_registry.Value.Faked;

    /// <summary>A fresh meta-mode (shapes only) context, activated on this flow until disposed.</summary>
    public static TestScope Meta(ulong seed = 0) => new(new EagerContext(new EagerOptions(MetaMode: true, Seed: seed), Registry));

    /// <summary>A fresh context with kernels, activated on this flow until disposed.</summary>
    public static TestScope Real(ulong seed = 0) => new(new EagerContext(new EagerOptions(MetaMode: false, Seed: seed), Registry));
}

/// <summary>An activated context with a recording observer attached.</summary>
public sealed class TestScope : IDisposable
{
    private readonly IDisposable _activation;
    private readonly IDisposable _attachment;

    internal TestScope(EagerContext context)
    {
        Context = context;
        Recorder = new RecordingObserver();
        _attachment = context.Attach(Recorder);
        _activation = context.Activate();
    }

    /// <summary>The context.</summary>
    public EagerContext Context { get; }

    /// <summary>Everything the context reported.</summary>
    public RecordingObserver Recorder { get; }

    public void Dispose()
    {
        _activation.Dispose();
        _attachment.Dispose();
    }
}
