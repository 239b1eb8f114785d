using System.Collections.ObjectModel;

namespace EtcdConfiguration.Client;

/// <summary>The result of <see cref="LeaseClient.TimeToLiveAsync"/>: how long a lease has left, and its keys.</summary>
public sealed class LeaseTimeToLiveResponse
{
    internal LeaseTimeToLiveResponse(Wire.LeaseTimeToLiveResponse response)
    {
        Header = ResponseHeader.From(response.Header);
        Id = response.ID;
        Ttl = response.TTL;
        GrantedTtl = response.GrantedTTL;
        var bytes = new ReadOnlyMemory<byte>[response.Keys.Count];
        var keys = new string[response.Keys.Count];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = response.Keys[i].Memory;
            keys[i] = response.Keys[i].ToStringUtf8();
        }

        KeyBytes = new ReadOnlyCollection<ReadOnlyMemory<byte>>(bytes);
        Keys = new ReadOnlyCollection<string>(keys);
    }

    /// <summary>The response header.</summary>
    public ResponseHeader Header { get; }

    /// <summary>The lease's ID.</summary>
    public long Id { get; }

    /// <summary>The seconds the lease has left; -1 when it expired, was revoked or never existed.</summary>
    public long Ttl { get; }

    /// <summary>The time to live the lease was granted (and is renewed to), in seconds; 0 when it does not exist.</summary>
    public long GrantedTtl { get; }

    /// <summary>Whether the lease still exists.</summary>
    public bool Exists => Ttl >= 0;

    /// <summary>The keys attached to the lease, decoded as UTF-8, when they were asked for; otherwise empty.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>The keys attached to the lease, as bytes, when they were asked for; otherwise empty.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> KeyBytes { get; }
}
