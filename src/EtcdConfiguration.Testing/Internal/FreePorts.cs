using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace EtcdConfiguration.Testing.Internal;

/// <summary>
/// Loopback ports for etcd members: free a moment ago, below the kernel's ephemeral range, and not handed to
/// another cluster of this process that is still alive.
/// </summary>
/// <remarks>
/// A killed member keeps its ports for its restart (its peers know it by them). A port in the ephemeral range could
/// meanwhile become the local port of any outgoing connection (a client's, etcdctl's, a peer's) and stay taken for
/// as long as that connection lives; the kernel never picks a port below that range by itself.
/// </remarks>
internal static class FreePorts
{
    private const int LowestPort = 20000;
    private const int SmallestRange = 2000;
    private const int AttemptsPerPort = 50;
    private static readonly Lazy<int> _ephemeralStart = new(ReadEphemeralStart);
    private static readonly HashSet<int> _handedOut = [];
    private static readonly Lock _lock = new();

    /// <summary>
    /// Binds <paramref name="count"/> distinct free ports at once, reads them and closes the sockets. Another
    /// process may still take one before etcd binds it; the caller retries the whole start then. Give the ports
    /// back with <see cref="Release"/> once their members are gone.
    /// </summary>
    public static int[] Take(int count)
    {
        var listeners = new List<TcpListener>(count);
        try
        {
            lock (_lock)
            {
                var start = _ephemeralStart.Value;
                if (start - LowestPort >= SmallestRange)
                {
                    for (var attempt = 0; listeners.Count < count && attempt < count * AttemptsPerPort; attempt++)
                    {
                        var port = Random.Shared.Next(LowestPort, start);
                        if (!_handedOut.Contains(port) && TryListen(port) is { } listener)
                        {
                            listeners.Add(listener);
                        }
                    }
                }

                // No usable range below the ephemeral one, or it is crowded: let the kernel choose.
                while (listeners.Count < count)
                {
                    listeners.Add(TryListen(0) ?? throw new InvalidOperationException("Could not bind a loopback port."));
                }

                var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
                _handedOut.UnionWith(ports);
                return ports;
            }
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Dispose();
            }
        }
    }

    /// <summary>Lets later clusters of this process use <paramref name="ports"/> again.</summary>
    public static void Release(IEnumerable<int> ports)
    {
        lock (_lock)
        {
            _handedOut.ExceptWith(ports);
        }
    }

    private static TcpListener? TryListen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return listener;
        }
        catch (SocketException)
        {
            // Taken by someone else: try another.
            listener.Dispose();
            return null;
        }
    }

    // /proc/sys/net/ipv4/ip_local_port_range holds "32768\t60999"; without it, treat every port as ephemeral.
    private static int ReadEphemeralStart()
    {
        string range;
        try
        {
            range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return LowestPort;
        }

        var first = range.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var start) ? start : LowestPort;
    }
}
