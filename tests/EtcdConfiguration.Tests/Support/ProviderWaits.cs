namespace EtcdConfiguration.Tests.Support;

/// <summary>Waits that only the provider's tests need, built on the kit's <see cref="Eventually"/>.</summary>
internal static class ProviderWaits
{
    /// <summary>
    /// Waits until the provider's <see cref="EtcdConfigurationProvider.Status"/> has caught up with the data it
    /// serves now. The data (and <see cref="EtcdConfigurationProvider.Revision"/>) changes first; status and metrics
    /// follow, so a test that saw a value must wait for this before it checks them.
    /// </summary>
    public static Task StatusCaughtUpAsync(EtcdConfigurationProvider provider, TimeSpan? timeout = null)
    {
        var revision = provider.Revision;
        return Eventually.TrueAsync(() => provider.Status.Revision >= revision, $"the provider's status reaches revision {revision}, as its data did", timeout);
    }
}
