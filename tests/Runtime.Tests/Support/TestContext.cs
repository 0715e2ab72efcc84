using OnSram.Runtime;

namespace OnSram.Runtime.Tests.Support;

/// <summary>A fresh context activated for the test's flow, so tests never share state.</summary>
public sealed class TestContext : IDisposable
{
    private readonly IDisposable _activation;

    public TestContext(bool meta = false, ulong seed = 0)
    {
        Context = new EagerContext(new EagerOptions(MetaMode: meta, Seed: seed));
        _activation = Context.Activate();
    }

    public EagerContext Context { get; }

    public void Dispose() => _activation.Dispose();
}
