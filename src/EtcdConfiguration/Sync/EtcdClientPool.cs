using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EtcdConfiguration.Client;
using Microsoft.Extensions.Logging;

namespace EtcdConfiguration.Sync;

/// <summary>
/// Shares one <see cref="EtcdClient"/> (so one connection per endpoint and one watch stream) among every source
/// whose client options come out the same (endpoints, credentials, TLS, timeouts, retries, keep-alive and logger,
/// after <see cref="EtcdConfigurationSource.ConfigureClient"/>), and disposes it when the last one lets go.
/// </summary>
internal static class EtcdClientPool
{
    private static readonly Dictionary<ClientKey, Entry> Clients = [];
    private static readonly Lock Gate = new();

    /// <summary>
    /// Takes a reference to the client for <paramref name="source"/>, creating it on first use; a source with
    /// <see cref="EtcdConfigurationSource.ShareClient"/> off gets a client of its own, closed with its handle.
    /// </summary>
    public static Handle Acquire(EtcdConfigurationSource source)
    {
        var options = CreateOptions(source);
        if (!source.ShareClient)
        {
            return new Handle(null, new EtcdClient(options));
        }

        var key = KeyOf(options);
        lock (Gate)
        {
            if (!Clients.TryGetValue(key, out var entry))
            {
                entry = new Entry(new EtcdClient(options));
                Clients.Add(key, entry);
            }

            entry.References++;
            return new Handle(key, entry.Client);
        }
    }

    /// <summary>How many providers hold the client <paramref name="source"/> would share; 0 when none exists (for tests).</summary>
    internal static int ReferencesTo(EtcdConfigurationSource source)
    {
        var key = KeyOf(CreateOptions(source));
        lock (Gate)
        {
            return Clients.TryGetValue(key, out var entry) ? entry.References : 0;
        }
    }

    internal static EtcdClientOptions CreateOptions(EtcdConfigurationSource source)
    {
        var options = new EtcdClientOptions
        {
            Endpoints = source.Endpoints.ToList(),
            Username = source.Username,
            Password = source.Password,
            CaCertificateFile = source.CaCertificateFile,
            ClientCertificateFile = source.ClientCertificateFile,
            ClientKeyFile = source.ClientKeyFile,
            LoggerFactory = source.LoggerFactory,
            DialTimeout = source.StartupTimeout,
        };
        source.ConfigureClient?.Invoke(options);
        return options;
    }

    private static void Release(ClientKey key)
    {
        EtcdClient? toDispose = null;
        lock (Gate)
        {
            if (Clients.TryGetValue(key, out var entry) && --entry.References == 0)
            {
                Clients.Remove(key);
                toDispose = entry.Client;
            }
        }

        toDispose?.Dispose();
    }

    /// <summary>
    /// The sharing key: every option as text (the password only as a hash, certificates by their SHA-256, so the
    /// key can never leak a secret), and the logger factory and clock by reference.
    /// </summary>
    private static ClientKey KeyOf(EtcdClientOptions options)
    {
        var text = new StringBuilder();
        foreach (var endpoint in options.Endpoints.Select(e => e.Trim().TrimEnd('/').ToLowerInvariant()).Order(StringComparer.OrdinalIgnoreCase))
        {
            text.Append(endpoint).Append('\n');
        }

        foreach (var part in (ReadOnlySpan<string?>)[
            options.Username,
            options.Password is null ? null : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(options.Password))),
            options.CaCertificateFile,
            options.CaCertificate?.GetCertHashString(HashAlgorithmName.SHA256),
            options.ClientCertificateFile,
            options.ClientKeyFile,
            options.ClientCertificate?.GetCertHashString(HashAlgorithmName.SHA256),
            string.Create(
                CultureInfo.InvariantCulture,
                $"{options.DialTimeout.Ticks} {options.RequestTimeout.Ticks} {options.MaxRetries} {options.RetryBaseDelay.Ticks} {options.RetryMaxDelay.Ticks} {options.KeepAliveInterval.Ticks} {options.KeepAliveTimeout.Ticks} {options.MaxReceiveMessageSize} {options.MaxSendMessageSize} {options.RequireLeader} {options.AutoSyncInterval?.Ticks}"),
        ])
        {
            text.Append('\u0001').Append(part);
        }

        return new ClientKey(text.ToString(), options.LoggerFactory, options.TimeProvider);
    }

    // Records compare the logger factory and the clock by reference: sources logging to different factories, or
    // timing their retries on different clocks, get their own client.
    internal sealed record ClientKey(string Options, ILoggerFactory? LoggerFactory, TimeProvider TimeProvider);

    private sealed class Entry(EtcdClient client)
    {
        public EtcdClient Client { get; } = client;

        public int References { get; set; }
    }

    /// <summary>One source's reference to a shared client (or its own, with no key); dispose it once.</summary>
    internal sealed class Handle(ClientKey? key, EtcdClient client) : IDisposable
    {
        private int _released;

        public EtcdClient Client { get; } = client;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                if (key is null)
                {
                    Client.Dispose();
                }
                else
                {
                    Release(key);
                }
            }
        }
    }
}
