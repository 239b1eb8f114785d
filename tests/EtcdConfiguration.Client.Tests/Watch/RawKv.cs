using Google.Protobuf;
using Grpc.Net.Client;
using Wire = EtcdConfiguration.Client.Wire;

namespace EtcdConfiguration.Client.Tests.Watch;

/// <summary>
/// Puts and deletes through the generated stubs on one member, independent of the client under test, so that
/// watch and lease tests do not depend on its KV calls.
/// </summary>
internal sealed class RawKv : IDisposable
{
    private readonly TimeSpan _deadline;
    private readonly GrpcChannel _channel;
    private readonly Wire.KV.KVClient _kv;

    /// <param name="url">The member's client URL.</param>
    /// <param name="deadline">Bound on each call; by default 30 s, since the member is expected to answer.</param>
    public RawKv(string url, TimeSpan? deadline = null)
    {
        Url = url;
        _deadline = deadline ?? TimeSpan.FromSeconds(30);
        _channel = GrpcChannel.ForAddress(url);
        _kv = new Wire.KV.KVClient(_channel);
    }

    public string Url { get; }

    /// <summary>Puts <paramref name="key"/> and returns the revision of the put.</summary>
    public async Task<long> PutAsync(string key, string value, long lease = 0, CancellationToken cancellationToken = default)
    {
        var response = await _kv.PutAsync(
            new Wire.PutRequest { Key = ByteString.CopyFromUtf8(key), Value = ByteString.CopyFromUtf8(value), Lease = lease },
            deadline: DateTime.UtcNow + _deadline,
            cancellationToken: cancellationToken);
        return response.Header.Revision;
    }

    /// <summary>Puts a key given as bytes and returns the revision of the put.</summary>
    public async Task<long> PutAsync(byte[] key, string value)
    {
        var response = await _kv.PutAsync(
            new Wire.PutRequest { Key = ByteString.CopyFrom(key), Value = ByteString.CopyFromUtf8(value) },
            deadline: DateTime.UtcNow + _deadline);
        return response.Header.Revision;
    }

    /// <summary>Deletes <paramref name="key"/> and returns the revision of the delete.</summary>
    public async Task<long> DeleteAsync(string key)
    {
        var response = await _kv.DeleteRangeAsync(
            new Wire.DeleteRangeRequest { Key = ByteString.CopyFromUtf8(key) },
            deadline: DateTime.UtcNow + _deadline);
        return response.Header.Revision;
    }

    /// <summary>The value of <paramref name="key"/>, or null when it does not exist.</summary>
    public async Task<string?> GetAsync(string key)
    {
        var response = await _kv.RangeAsync(
            new Wire.RangeRequest { Key = ByteString.CopyFromUtf8(key) },
            deadline: DateTime.UtcNow + _deadline);
        return response.Kvs.Count == 0 ? null : response.Kvs[0].Value.ToStringUtf8();
    }

    public void Dispose() => _channel.Dispose();
}
