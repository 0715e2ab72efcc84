using OnSram.Runtime;

namespace OnSram.Workloads.Tests.Support;

/// <summary>
/// The ONE place tests get their eager contexts from: fresh contexts on the runtime's built-in registry,
/// so every network and layer test runs on the real op definitions and kernels.
/// </summary>
public static class Contexts
{
    /// <summary>A fresh meta-mode (shapes only) context, activated on this flow until disposed.</summary>
    public static TestScope Meta(ulong seed = 0) => new(new EagerContext(new EagerOptions(MetaMode: true, Seed: seed)));

    /// <summary>A fresh context with kernels, activated on this flow until disposed.</summary>
    public static TestScope Real(ulong seed = 0) => new(new EagerContext(new EagerOptions(MetaMode: false, Seed: seed)));
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
