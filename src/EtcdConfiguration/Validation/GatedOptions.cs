using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EtcdConfiguration.Validation;

/// <summary>
/// One options type and name whose changes from etcd are validated before they are applied, as registered by
/// <c>ValidateEtcdChanges()</c>.
/// </summary>
internal abstract class GatedOptions
{
    protected GatedOptions(Type optionsType, string name)
    {
        OptionsType = optionsType;
        Name = name;
    }

    /// <summary>The options type.</summary>
    public Type OptionsType { get; }

    /// <summary>The options name; <see cref="Options.DefaultName"/> (empty) for the default options.</summary>
    public string Name { get; }

    /// <summary>The type and, for named options, the name, as messages show them.</summary>
    public string DisplayName => Name.Length == 0 ? OptionsType.Name : $"{OptionsType.Name} '{Name}'";

    /// <summary>
    /// Builds the options as the app would (configure actions, binding, post-configure) from the configuration the
    /// calling thread sees, and runs the type's validators.
    /// </summary>
    /// <returns>The validators' messages (they name members, never values); empty when the options are valid.</returns>
    public abstract IReadOnlyList<string> Check(IServiceProvider services);
}

/// <summary>The <see cref="GatedOptions"/> of <typeparamref name="TOptions"/>.</summary>
internal sealed class GatedOptions<TOptions>(string name) : GatedOptions(typeof(TOptions), name)
    where TOptions : class
{
    /// <inheritdoc/>
    public override IReadOnlyList<string> Check(IServiceProvider services)
    {
        // The factory, not the monitor: it builds a fresh instance every time and caches nothing the app sees.
        var factory = services.GetRequiredService<IOptionsFactory<TOptions>>();
        try
        {
            factory.Create(Name);
            return [];
        }
        catch (OptionsValidationException invalid)
        {
            return [.. invalid.Failures];
        }
        catch (InvalidOperationException unbindable)
        {
            return [BinderFailure.Describe(unbindable)];
        }
    }
}
