namespace OnSram.Speculation.Policies;

/// <summary>
/// Registers a sealed <see cref="ISpmPolicy"/> class under a name. <see cref="PolicyRegistry.Default"/>
/// discovers every such class of this assembly; the class needs a public constructor taking an
/// <see cref="OnSram.Accelerator.Configuration.AcceleratorConfig"/> or none.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class SpmPolicyAttribute : Attribute
{
    /// <summary>Registers the class under <paramref name="name"/> (lower case, as in <c>ONSRAM=name</c>).</summary>
    public SpmPolicyAttribute(string name) => Name = name;

    /// <summary>The name.</summary>
    public string Name { get; }

    /// <summary>One line saying what the policy does (shown in listings).</summary>
    public string Description { get; init; } = "";
}
