using System.Net;
using System.Net.Sockets;

namespace EtcdConfiguration.Testing;

/// <summary>
/// A loopback endpoint where nothing listens, for as long as it is not disposed: its port stays bound (without
/// listening), so connections are refused at once and no etcd started meanwhile can take the port. A port that
/// was merely free a moment ago could be handed to another test's member.
/// </summary>
public sealed class RefusedEndpoint : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    /// <summary>Binds a free loopback port and holds it.</summary>
    public RefusedEndpoint()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
    }

    /// <summary>The held port.</summary>
    public int Port { get; }

    /// <summary>The endpoint as a client dials it: <c>http://127.0.0.1:port</c>.</summary>
    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>Releases the port.</summary>
    public void Dispose() => _socket.Dispose();
}
