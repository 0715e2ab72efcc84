using System.Collections.Immutable;
using System.Reflection;
using OnSram.Accelerator.Configuration;

namespace OnSram.Speculation.Policies;

/// <summary>
/// Creates policies by name. Immutable: <see cref="With"/> returns a new registry. <see cref="Default"/>
/// holds every class of this assembly marked <see cref="SpmPolicyAttribute"/>; each <see cref="Create"/>
/// returns a fresh instance (policies are stateful, one per simulation).
/// </summary>
public sealed class PolicyRegistry
{
    private static readonly Lazy<PolicyRegistry> s_default = new(Discover);
    private readonly ImmutableSortedDictionary<string, Entry> _entries;

    private PolicyRegistry(ImmutableSortedDictionary<string, Entry> entries) => _entries = entries;

    /// <summary>The built-in policies.</summary>
    public static PolicyRegistry Default => s_default.Value;

    /// <summary>Registered names, sorted.</summary>
    public IReadOnlyList<string> Names => _entries.Keys.ToArray();

    /// <summary>One-line description of <paramref name="name"/> ("" when unknown or undocumented).</summary>
    public string Describe(string name) => _entries.TryGetValue(Normalize(name), out var e) ? e.Description : "";

    /// <summary>True when <paramref name="name"/> is registered (case-insensitive).</summary>
    public bool Contains(string name) => name is not null && _entries.ContainsKey(Normalize(name));

    /// <summary>
    /// A new policy named <paramref name="name"/> for a device configured by <paramref name="config"/>.
    /// Throws <see cref="ArgumentException"/> listing the allowed names when the name is unknown.
    /// </summary>
    public ISpmPolicy Create(string name, AcceleratorConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (name is null || !_entries.TryGetValue(Normalize(name), out var entry))
        {
            throw new ArgumentException($"unknown policy '{name}'; allowed policies: {string.Join(", ", Names)}", nameof(name));
        }
        return entry.Factory(config);
    }

    /// <summary>A registry with <paramref name="name"/> added or replaced.</summary>
    public PolicyRegistry With(string name, Func<AcceleratorConfig, ISpmPolicy> factory, string description = "")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        return new PolicyRegistry(_entries.SetItem(Normalize(name), new Entry(factory, description)));
    }

    private static string Normalize(string name) => name.Trim().ToLowerInvariant();

    private static PolicyRegistry Discover()
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, Entry>(StringComparer.Ordinal);
        foreach (var type in typeof(PolicyRegistry).Assembly.GetTypes())
        {
            var attribute = type.GetCustomAttribute<SpmPolicyAttribute>();
            if (attribute is null)
            {
                continue;
            }
            if (!type.IsSealed || type.IsAbstract || !typeof(ISpmPolicy).IsAssignableFrom(type))
            {
                throw new InvalidOperationException($"{type.FullName} is marked [SpmPolicy] but is not a sealed ISpmPolicy class");
            }
            var withConfig = type.GetConstructor([typeof(AcceleratorConfig)]);
            var plain = type.GetConstructor(Type.EmptyTypes);
            // DoNotWrapExceptions: a constructor's own error (e.g. a bad history file) reaches the caller as is.
            Func<AcceleratorConfig, ISpmPolicy> factory = withConfig is not null
                ? config => (ISpmPolicy)withConfig.Invoke(BindingFlags.DoNotWrapExceptions, null, [config], null)
                : plain is not null
                    ? _ => (ISpmPolicy)plain.Invoke(BindingFlags.DoNotWrapExceptions, null, null, null)
                    : throw new InvalidOperationException($"{type.FullName} needs a public constructor taking AcceleratorConfig or none");
            var name = Normalize(attribute.Name);
            if (builder.ContainsKey(name))
            {
                throw new InvalidOperationException($"two policies are registered as '{name}'");
            }
            builder.Add(name, new Entry(factory, attribute.Description));
        }
        return new PolicyRegistry(builder.ToImmutable());
    }

    private sealed record Entry(Func<AcceleratorConfig, ISpmPolicy> Factory, string Description);
}
