using System.Text;

namespace EtcdConfiguration.Client.Tests.KV;

/// <summary>Binary keys and values through the byte overloads: 0xFF endings, 0x00 bytes, the empty prefix.</summary>
public sealed class BinaryKeyTests(SingleMemberFixture fixture) : IClassFixture<SingleMemberFixture>
{
    private readonly KVClient _kv = fixture.Client.KV;

    [Fact]
    public async Task A_prefix_ending_in_FF_bytes_covers_exactly_the_keys_that_start_with_it()
    {
        var root = Bytes(SingleMemberFixture.NewPrefix("Binary"));
        byte[][] under =
        [
            [.. root, 0xFF],
            [.. root, 0xFF, 0x00],
            [.. root, 0xFF, 0xFF],
            [.. root, 0xFF, 0xFF, 0xFF, 0x01],
        ];
        byte[][] outside = [[.. root, 0xFE], [.. root, 0xFE, 0xFF], [.. root[..^1], (byte)(root[^1] + 1)]];
        foreach (var key in under.Concat(outside))
        {
            await _kv.PutAsync(key, key);
        }

        var ff = await _kv.GetAsync(Prefix(root, 0xFF), new GetOptions { Prefix = true });
        var ffff = await _kv.GetAsync(Prefix(root, 0xFF, 0xFF), new GetOptions { Prefix = true });

        Assert.Equal(under.Select(Hex), ff.Kvs.Select(kv => Hex(kv.KeyBytes.ToArray())));
        Assert.All(ff.Kvs, kv => Assert.Equal(kv.KeyBytes.ToArray(), kv.ValueBytes.ToArray()));
        Assert.Equal(under[2..].Select(Hex), ffff.Kvs.Select(kv => Hex(kv.KeyBytes.ToArray())));

        var deleted = await _kv.DeleteAsync(Prefix(root, 0xFF), new DeleteOptions { Prefix = true });
        Assert.Equal(under.Length, deleted.Deleted);
        Assert.Equal(2, (await _kv.GetAsync(Prefix(root, 0xFE), new GetOptions { Prefix = true, CountOnly = true })).Count);
    }

    [Fact]
    public async Task A_prefix_of_only_FF_bytes_reaches_the_end_of_the_keyspace()
    {
        var marker = Guid.NewGuid().ToByteArray();
        byte[] key = [0xFF, 0xFF, .. marker];
        byte[] top = [0xFF, 0xFF, 0xFF, 0xFF, .. marker];
        await _kv.PutAsync(key, "a"u8.ToArray());
        await _kv.PutAsync(top, "b"u8.ToArray());

        var response = await _kv.GetAsync(new byte[] { 0xFF, 0xFF }, new GetOptions { Prefix = true });

        Assert.Contains(response.Kvs, kv => kv.KeyBytes.Span.SequenceEqual(key));
        Assert.Contains(response.Kvs, kv => kv.KeyBytes.Span.SequenceEqual(top));
        Assert.All(response.Kvs, kv => Assert.True(kv.KeyBytes.Span.StartsWith((byte[])[0xFF, 0xFF])));
    }

    [Fact]
    public async Task The_empty_prefix_reads_and_deletes_every_key_including_the_key_0x00()
    {
        var named = SingleMemberFixture.NewPrefix("Binary") + "k";
        await _kv.PutAsync(named, "v");
        await _kv.PutAsync(new byte[] { 0x00 }, "zero"u8.ToArray());
        await _kv.PutAsync(new byte[] { 0x01, 0x02 }, "one"u8.ToArray());

        var everything = await _kv.GetAsync(string.Empty, new GetOptions { Prefix = true });
        var fromStart = await _kv.GetAsync(ReadOnlyMemory<byte>.Empty, new GetOptions { FromKey = true, CountOnly = true });

        Assert.Contains(everything.Kvs, kv => kv.Key == named);
        Assert.Equal([0x00], everything.Kvs[0].KeyBytes.ToArray());
        Assert.Equal([0x01, 0x02], everything.Kvs[1].KeyBytes.ToArray());
        Assert.Equal(everything.Count, fromStart.Count);

        var deleted = await _kv.DeleteAsync(string.Empty, new DeleteOptions { Prefix = true });

        Assert.Equal(everything.Count, deleted.Deleted);
        Assert.Equal(0, (await _kv.GetAsync(string.Empty, new GetOptions { Prefix = true, CountOnly = true })).Count);
    }

    [Fact]
    public async Task Every_byte_value_round_trips_unchanged_and_invalid_utf8_decodes_to_replacement_characters()
    {
        var key = Bytes(SingleMemberFixture.NewPrefix("Binary") + "all-bytes");
        var value = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

        await _kv.PutAsync(key, value);
        var kv = Assert.Single((await _kv.GetAsync(key)).Kvs);

        Assert.Equal(value, kv.ValueBytes.ToArray());
        Assert.Contains('\uFFFD', kv.Value);
    }

    [Fact]
    public async Task Binary_keys_work_in_txn_compares_and_ops()
    {
        byte[] key = [.. Bytes(SingleMemberFixture.NewPrefix("Binary")), 0x00, 0xFF];
        byte[] value = [0xC3, 0x28];

        var created = await _kv.Txn()
            .If(Compare.Version(key, CompareResult.Equal, 0))
            .Then(Op.Put(key, value))
            .CommitAsync();
        var matched = await _kv.Txn()
            .If(Compare.Value(key, CompareResult.Equal, value))
            .Then(Op.Get(key), Op.Delete(key))
            .CommitAsync();

        Assert.True(created.Succeeded);
        Assert.True(matched.Succeeded);
        Assert.Equal(value, Assert.Single(matched.Responses[0].Get!.Kvs).ValueBytes.ToArray());
        Assert.Equal(1, matched.Responses[1].Delete!.Deleted);
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Prefix(byte[] root, params byte[] tail) => [.. root, .. tail];

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes);
}
