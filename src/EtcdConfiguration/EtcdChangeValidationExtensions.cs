using EtcdConfiguration.Validation;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the validation of changes from etcd for an options type: see <see cref="ValidateEtcdChanges"/>.</summary>
public static class EtcdChangeValidationExtensions
{
    /// <summary>
    /// Validates every change from etcd that touches these options before the app sees it. Once the host has
    /// started, each batch from etcd that changes a key these options read is first bound into a fresh
    /// <typeparamref name="TOptions"/> (the default or this builder's named options) and run through its
    /// validators (<see cref="IValidateOptions{TOptions}"/>: data annotations, <c>Validate(...)</c>, custom ones; a
    /// value the binder cannot convert counts as a failure). If they fail, the keys under the sections these
    /// options read keep their last valid values while the rest of the batch is applied;
    /// <see cref="IOptionsMonitor{TOptions}.CurrentValue"/> keeps the last valid options, and
    /// <c>EtcdConfigurationStatus.RejectedRevision</c>, the health check, a log warning and the
    /// <c>etcd_configuration.rejected_changes</c> counter report it. The next state of etcd that validates is
    /// applied in full.
    /// </summary>
    /// <remarks>
    /// Only the etcd sources of the app's <c>IConfiguration</c> are gated, and only after the host starts (the
    /// first load is the app's start-up concern: use <c>ValidateOnStart()</c>). The sections are learnt from what
    /// binding the options reads; values from other sources (files, environment) are not held back.
    /// </remarks>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="builder">The options builder, after <c>Bind</c> and the validators.</param>
    /// <returns>The builder.</returns>
    public static OptionsBuilder<TOptions> ValidateEtcdChanges<TOptions>(this OptionsBuilder<TOptions> builder)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<GatedOptions>(new GatedOptions<TOptions>(builder.Name));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ChangeGateActivator>());
        return builder;
    }
}
