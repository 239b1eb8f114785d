using System.Net;
using System.Net.Sockets;

namespace EtcdConfiguration.Testing.Internal;

/// <summary>Loopback ports that were free a moment ago.</summary>
internal static class FreePorts
{
    /// <summary>
    /// Binds <paramref name="count"/> sockets to 127.0.0.1:0 at once (so the ports are distinct), reads the ports
    /// and closes them. Another process may take one before etcd binds it; the caller retries the whole start then.
    /// </summary>
    public static int[] Take(int count)
    {
        var listeners = new List<TcpListener>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listeners.Add(listener);
                listener.Start();
            }

            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Dispose();
            }
        }
    }
}
