using System.Security.Cryptography;
using System.Text;
using EtcdConfiguration.Client;

namespace EtcdConfiguration.Internal;

/// <summary>
/// Shares one <see cref="EtcdClient"/> (so one connection per endpoint and one watch stream) among every
/// source with the same endpoints, credentials and TLS files, and disposes it when the last one lets go.
/// </summary>
internal static class EtcdClientPool
{
    private static readonly Dictionary<string, Entry> Clients = new(StringComparer.Ordinal);
    private static readonly Lock Gate = new();

    /// <summary>Takes a reference to the client for <paramref name="source"/>, creating it on first use.</summary>
    public static Handle Acquire(EtcdConfigurationSource source)
    {
        var key = KeyOf(source);
        lock (Gate)
        {
            if (!Clients.TryGetValue(key, out var entry))
            {
                entry = new Entry(new EtcdClient(CreateOptions(source)));
                Clients.Add(key, entry);
            }

            entry.References++;
            return new Handle(key, entry.Client);
        }
    }

    /// <summary>How many providers hold the client <paramref name="source"/> would share; 0 when none exists (for tests).</summary>
    internal static int ReferencesTo(EtcdConfigurationSource source)
    {
        var key = KeyOf(source);
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

    private static void Release(string key)
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
    /// The sharing key. The password enters only as a hash, so the key can never leak it.
    /// </summary>
    private static string KeyOf(EtcdConfigurationSource source)
    {
        var text = new StringBuilder();
        foreach (var endpoint in source.Endpoints.Select(e => e.Trim().TrimEnd('/').ToLowerInvariant()).Order(StringComparer.OrdinalIgnoreCase))
        {
            text.Append(endpoint).Append('\n');
        }

        text.Append('\u0001').Append(source.Username)
            .Append('\u0001').Append(source.Password is null ? string.Empty : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(source.Password))))
            .Append('\u0001').Append(source.CaCertificateFile)
            .Append('\u0001').Append(source.ClientCertificateFile)
            .Append('\u0001').Append(source.ClientKeyFile);
        return text.ToString();
    }

    private sealed class Entry(EtcdClient client)
    {
        public EtcdClient Client { get; } = client;

        public int References { get; set; }
    }

    /// <summary>One source's reference to a shared client; dispose it once.</summary>
    internal sealed class Handle(string key, EtcdClient client) : IDisposable
    {
        private int _released;

        public EtcdClient Client { get; } = client;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Release(key);
            }
        }
    }
}
