using System.Globalization;
using EtcdConfiguration;
using EtcdConfiguration.Client;

namespace Microsoft.Extensions.Configuration;

/// <summary>Adds etcd to an <see cref="IConfigurationBuilder"/>.</summary>
public static class EtcdConfigurationExtensions
{
    /// <summary>
    /// Adds the keys under <paramref name="prefix"/> in etcd as configuration, reloaded live as they change.
    /// </summary>
    /// <param name="builder">The configuration builder.</param>
    /// <param name="endpoints">One or more URLs separated by commas, such as <c>http://127.0.0.1:2379</c>.</param>
    /// <param name="prefix">The key prefix, such as <c>/myapp/</c>; <c>/myapp</c> means the same.</param>
    /// <param name="optional">Whether the app may start when etcd cannot be reached.</param>
    /// <param name="reloadOnChange">Whether changes are watched and applied live.</param>
    /// <returns>The builder.</returns>
    /// <example>
    /// <code>
    /// builder.Configuration.AddEtcd("http://127.0.0.1:2379", "/myapp/");
    /// </code>
    /// </example>
    public static IConfigurationBuilder AddEtcd(this IConfigurationBuilder builder, string endpoints, string prefix, bool optional = false, bool reloadOnChange = true)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        return builder.AddEtcd(source =>
        {
            source.Endpoints = EtcdClient.SplitEndpoints(endpoints);
            source.Prefix = prefix;
            source.Optional = optional;
            source.ReloadOnChange = reloadOnChange;
        });
    }

    /// <summary>Adds an etcd source configured by <paramref name="configure"/>.</summary>
    /// <param name="builder">The configuration builder.</param>
    /// <param name="configure">Sets the source's properties; <see cref="EtcdConfigurationSource.Prefix"/> is required.</param>
    /// <returns>The builder.</returns>
    public static IConfigurationBuilder AddEtcd(this IConfigurationBuilder builder, Action<EtcdConfigurationSource> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var source = new EtcdConfigurationSource();
        configure(source);
        if (string.IsNullOrEmpty(source.Prefix))
        {
            throw new ArgumentException("An etcd configuration source needs a Prefix, such as \"/myapp/\".", nameof(configure));
        }

        return builder.Add(source);
    }

    /// <summary>
    /// Adds an etcd source described by configuration, such as <c>configuration.GetSection("Etcd")</c>:
    /// <c>Endpoints</c> (an array or one comma-separated string), <c>Prefix</c>, <c>Username</c>, <c>Password</c>,
    /// <c>Optional</c>, <c>ReloadOnChange</c>, <c>StartupTimeout</c> (such as <c>00:00:05</c>), <c>ValueFormat</c>
    /// (<c>Auto</c>, <c>Raw</c> or <c>Json</c>), <c>CaCertificateFile</c>, <c>ClientCertificateFile</c>, <c>ClientKeyFile</c>,
    /// <c>CacheFile</c>.
    /// </summary>
    /// <param name="builder">The configuration builder.</param>
    /// <param name="settings">The section holding the settings.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">A setting is missing or cannot be parsed; the message names it.</exception>
    public static IConfigurationBuilder AddEtcd(this IConfigurationBuilder builder, IConfiguration settings) =>
        builder.AddEtcd(settings, configure: null);

    /// <summary>
    /// Adds an etcd source described by configuration (see <see cref="AddEtcd(IConfigurationBuilder, IConfiguration)"/>
    /// for the settings), then lets <paramref name="configure"/> set what configuration cannot hold: the
    /// <see cref="EtcdConfigurationSource.LoggerFactory"/>, <see cref="EtcdConfigurationSource.OnLoadException"/> and
    /// <see cref="EtcdConfigurationSource.ConfigureClient"/>. It runs after the settings are read, so it may also
    /// override them.
    /// </summary>
    /// <param name="builder">The configuration builder.</param>
    /// <param name="settings">The section holding the settings, such as <c>configuration.GetSection("Etcd")</c>.</param>
    /// <param name="configure">Sets the source's properties in code; <see langword="null"/> for none.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">A setting is missing or cannot be parsed; the message names it.</exception>
    public static IConfigurationBuilder AddEtcd(this IConfigurationBuilder builder, IConfiguration settings, Action<EtcdConfigurationSource>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        return builder.AddEtcd(source =>
        {
            ApplySettings(source, settings);
            configure?.Invoke(source);
        });
    }

    private static void ApplySettings(EtcdConfigurationSource source, IConfiguration settings)
    {
        var endpoints = settings.GetSection("Endpoints");
        var list = endpoints.GetChildren().Select(c => c.Value).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToList();
        if (list.Count == 0 && !string.IsNullOrWhiteSpace(endpoints.Value))
        {
            list = EtcdClient.SplitEndpoints(endpoints.Value).ToList();
        }

        if (list.Count > 0)
        {
            source.Endpoints = list;
        }

        source.Prefix = settings["Prefix"] ?? source.Prefix;
        source.Username = settings["Username"] ?? source.Username;
        source.Password = settings["Password"] ?? source.Password;
        source.CaCertificateFile = settings["CaCertificateFile"] ?? source.CaCertificateFile;
        source.ClientCertificateFile = settings["ClientCertificateFile"] ?? source.ClientCertificateFile;
        source.ClientKeyFile = settings["ClientKeyFile"] ?? source.ClientKeyFile;
        source.CacheFile = settings["CacheFile"] ?? source.CacheFile;
        source.Optional = ParseBool(settings, "Optional", source.Optional);
        source.ReloadOnChange = ParseBool(settings, "ReloadOnChange", source.ReloadOnChange);
        if (settings["StartupTimeout"] is { } timeout)
        {
            source.StartupTimeout = TimeSpan.TryParse(timeout, CultureInfo.InvariantCulture, out var parsed) && parsed > TimeSpan.Zero
                ? parsed
                : throw new ArgumentException($"Etcd setting 'StartupTimeout' must be a positive time span such as 00:00:05, not '{timeout}'.", nameof(settings));
        }

        if (settings["ValueFormat"] is { } format)
        {
            source.ValueFormat = Enum.TryParse<EtcdValueFormat>(format, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                ? parsed
                : throw new ArgumentException($"Etcd setting 'ValueFormat' must be Auto, Raw or Json, not '{format}'.", nameof(settings));
        }
    }

    private static bool ParseBool(IConfiguration settings, string name, bool fallback) =>
        settings[name] is not { } text ? fallback
        : bool.TryParse(text, out var value) ? value
        : throw new ArgumentException($"Etcd setting '{name}' must be true or false, not '{text}'.", nameof(settings));
}
