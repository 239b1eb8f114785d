using System.Text;
using System.Text.Json;

namespace EtcdConfiguration.Client.Tests.KV;

/// <summary>What the client writes, the real etcdctl reads byte for byte, and the reverse.</summary>
public sealed class EtcdctlInteropTests(SingleMemberFixture fixture) : IClassFixture<SingleMemberFixture>
{
    private const string Unicode = "héllo wörld ✓ 日本語 🚀 \"quoted\" \\ back";
    private const string ControlCharacters = "tab\there\r\nnew line\u0001\u001f\u007f end";

    private readonly KVClient _kv = fixture.Client.KV;

    [Fact]
    public async Task Etcdctl_reads_what_the_client_wrote_byte_for_byte()
    {
        var root = SingleMemberFixture.NewPrefix("Interop");
        var rootBytes = Encoding.UTF8.GetBytes(root);
        var written = new Dictionary<string, (byte[] Key, byte[] Value, long Revision)>();
        async Task WriteAsync(byte[] key, byte[] value) =>
            written[Convert.ToBase64String(key)] = (key, value, (await _kv.PutAsync(key, value)).Header.Revision);

        await WriteAsync([.. rootBytes, .. "unicode-ключ"u8], Encoding.UTF8.GetBytes(Unicode));
        await WriteAsync([.. rootBytes, .. "control"u8], Encoding.UTF8.GetBytes(ControlCharacters));
        await WriteAsync([.. rootBytes, 0x00, 0xFF, 0x80], [0x00, 0xFF, 0xFE, 0x80, 0x0A, 0x0D]);
        await WriteAsync([.. rootBytes, .. "empty"u8], []);
        await _kv.PutAsync(root + "string-api", Unicode);

        var listed = await EtcdctlKvsAsync(root);

        Assert.Equal(written.Count + 1, listed.Count);
        foreach (var (key, value, revision) in written.Values)
        {
            var seen = Assert.Single(listed, kv => kv.Key.AsSpan().SequenceEqual(key));
            Assert.Equal(value, seen.Value);
            Assert.Equal(revision, seen.ModRevision);
        }

        Assert.Equal(Unicode + "\n", await fixture.Cluster.EtcdctlAsync("get", "--print-value-only", "--", root + "string-api"));
        Assert.Equal(Unicode, await fixture.Cluster.GetAsync(root + "unicode-ключ"));
    }

    [Fact]
    public async Task The_client_reads_what_etcdctl_wrote_byte_for_byte()
    {
        var root = SingleMemberFixture.NewPrefix("Interop");
        await fixture.Cluster.EtcdctlAsync("put", "--", root + "unicode-ключ", Unicode);
        await fixture.Cluster.EtcdctlAsync("put", "--", root + "control", ControlCharacters);
        await fixture.Cluster.EtcdctlAsync("put", "--", root + "dash", "-starts with a dash");
        await fixture.Cluster.EtcdctlWithInputAsync("line one\nline two\n\n", "put", "--", root + "stdin");

        var response = await _kv.GetAsync(root, new GetOptions { Prefix = true });
        var byKey = response.Kvs.ToDictionary(kv => kv.Key[root.Length..], kv => kv);

        Assert.Equal(4, response.Count);
        Assert.Equal(Encoding.UTF8.GetBytes(Unicode), byKey["unicode-ключ"].ValueBytes.ToArray());
        Assert.Equal(Unicode, byKey["unicode-ключ"].Value);
        Assert.Equal(Encoding.UTF8.GetBytes(root + "unicode-ключ"), byKey["unicode-ключ"].KeyBytes.ToArray());
        Assert.Equal(ControlCharacters, byKey["control"].Value);
        Assert.Equal("-starts with a dash", byKey["dash"].Value);
        Assert.Equal("line one\nline two\n\n", byKey["stdin"].Value);

        var listed = await EtcdctlKvsAsync(root);
        Assert.Equal(listed.Select(kv => kv.ModRevision), response.Kvs.Select(kv => kv.ModRevision));
    }

    [Fact]
    public async Task Deletes_and_revisions_agree_between_the_client_and_etcdctl()
    {
        var root = SingleMemberFixture.NewPrefix("Interop");
        await _kv.PutAsync(root + "a", "1");
        await _kv.PutAsync(root + "b", "2");

        var deletedByEtcdctl = await fixture.Cluster.EtcdctlAsync("del", "--prefix", "--", root + "a");
        var afterEtcdctl = await _kv.GetAsync(root, new GetOptions { Prefix = true });
        await _kv.DeleteAsync(root, new DeleteOptions { Prefix = true });
        var afterClient = await EtcdctlKvsAsync(root);

        Assert.Equal("1", deletedByEtcdctl.Trim());
        Assert.Equal([root + "b"], afterEtcdctl.Kvs.Select(kv => kv.Key));
        Assert.Empty(afterClient);
        Assert.Equal(await fixture.Cluster.GetRevisionAsync(), (await _kv.GetAsync(root)).Header.Revision);
    }

    private async Task<List<(byte[] Key, byte[] Value, long ModRevision)>> EtcdctlKvsAsync(string prefix)
    {
        var output = await fixture.Cluster.EtcdctlAsync("get", "--prefix", "-w", "json", "--", prefix);
        using var json = JsonDocument.Parse(output);
        var result = new List<(byte[], byte[], long)>();
        if (json.RootElement.TryGetProperty("kvs", out var kvs))
        {
            foreach (var kv in kvs.EnumerateArray())
            {
                var value = kv.TryGetProperty("value", out var v) ? v.GetBytesFromBase64() : [];
                result.Add((kv.GetProperty("key").GetBytesFromBase64(), value, kv.GetProperty("mod_revision").GetInt64()));
            }
        }

        return result;
    }
}
