using System.Text;

namespace EtcdConfiguration.Client.Tests.KV;

/// <summary>How operations, conditions and the transaction builder are built: pure logic, no etcd.</summary>
public sealed class OpTests
{
    [Fact]
    public void An_op_keeps_the_options_it_was_created_with()
    {
        var options = new GetOptions { Prefix = true, Limit = 3 };
        var op = Op.Get("/test/", options);

        options.Prefix = false;
        options.RangeEnd = "/zzz";

        Assert.Equal(OpKind.Get, op.Kind);
        Assert.Equal("/test/", op.Key);
        Assert.Equal("/test0", Encoding.UTF8.GetString(op.RangeEndBytes.Span));
        Assert.Equal(3, op.RangeRequest.Limit);
    }

    [Fact]
    public void An_op_copies_the_callers_bytes()
    {
        byte[] key = [1, 2, 3];
        byte[] value = [4, 5];
        var op = Op.Put(key, value);

        key[0] = 9;
        value[0] = 9;

        Assert.Equal([1, 2, 3], op.KeyBytes.ToArray());
        Assert.Equal([4, 5], op.ValueBytes.ToArray());
    }

    [Fact]
    public void Only_gets_and_transactions_of_gets_are_read_only()
    {
        var get = Op.Get("k");
        var put = Op.Put("k", "v");
        var delete = Op.Delete("k");

        Assert.True(get.IsReadOnly);
        Assert.False(put.IsReadOnly);
        Assert.False(delete.IsReadOnly);
        Assert.True(Op.Txn([Compare.Version("k", CompareResult.Equal, 1)], [get], [Op.Get("j")]).IsReadOnly);
        Assert.True(Op.Txn([], [Op.Txn([], [get], [get])], []).IsReadOnly);
        Assert.False(Op.Txn([], [get], [put]).IsReadOnly);
        Assert.False(Op.Txn([], [Op.Txn([], [get], [delete])], []).IsReadOnly);
    }

    [Fact]
    public void A_txn_op_lists_its_parts_and_the_first_lease_of_its_puts()
    {
        var condition = Compare.Lease("k", CompareResult.Equal, 0);
        var then = Op.Put("a", "1", new PutOptions { Lease = 42 });
        var op = Op.Txn([condition], [Op.Get("x"), then], [Op.Put("b", "2", new PutOptions { Lease = 43 })]);

        Assert.Equal(OpKind.Txn, op.Kind);
        Assert.Same(condition, Assert.Single(op.Compares));
        Assert.Same(then, op.ThenOps[1]);
        Assert.Single(op.ElseOps);
        Assert.Equal(42, op.LeaseId);
        Assert.True(op.KeyBytes.IsEmpty);
    }

    public static TheoryData<byte[], byte[], byte[]> PrefixCases() => new()
    {
        // prefix, key sent, range end sent
        { "/test/"u8.ToArray(), "/test/"u8.ToArray(), "/test0"u8.ToArray() },
        { [0x61, 0xFF], [0x61, 0xFF], [0x62] },
        { [0x61, 0x62, 0xFF, 0xFF], [0x61, 0x62, 0xFF, 0xFF], [0x61, 0x63] },
        { [0x61, 0xFE, 0xFF], [0x61, 0xFE, 0xFF], [0x61, 0xFF] },
        { [0xFF], [0xFF], [0x00] },
        { [0xFF, 0xFF, 0xFF], [0xFF, 0xFF, 0xFF], [0x00] },
        { [], [0x00], [0x00] },
    };

    [Theory]
    [MemberData(nameof(PrefixCases))]
    public void A_prefix_becomes_the_range_up_to_its_last_non_FF_byte_incremented(byte[] prefix, byte[] key, byte[] rangeEnd)
    {
        var get = Op.Get(prefix, new GetOptions { Prefix = true });
        var delete = Op.Delete(prefix, new DeleteOptions { Prefix = true });
        var compare = Compare.Version(prefix, CompareResult.Equal, 1).WithPrefix();

        Assert.Equal(key, get.KeyBytes.ToArray());
        Assert.Equal(rangeEnd, get.RangeEndBytes.ToArray());
        Assert.Equal(key, delete.KeyBytes.ToArray());
        Assert.Equal(rangeEnd, delete.RangeEndBytes.ToArray());
        Assert.Equal(key, compare.KeyBytes.ToArray());
        Assert.Equal(rangeEnd, compare.RangeEndBytes.ToArray());
        Assert.Equal(rangeEnd, KeyRangeEnd.ForPrefix(prefix).ToArray());
    }

    [Fact]
    public void From_key_ends_at_the_end_of_the_keyspace_and_an_empty_key_starts_at_its_beginning()
    {
        var fromB = Op.Get("b", new GetOptions { FromKey = true });
        var fromEmpty = Op.Delete(string.Empty, new DeleteOptions { FromKey = true });

        Assert.Equal("b"u8.ToArray(), fromB.KeyBytes.ToArray());
        Assert.Equal([0x00], fromB.RangeEndBytes.ToArray());
        Assert.Equal([0x00], fromEmpty.KeyBytes.ToArray());
        Assert.Equal([0x00], fromEmpty.RangeEndBytes.ToArray());
    }

    [Fact]
    public void A_single_key_op_sends_no_range_end()
    {
        Assert.True(Op.Get("k").RangeEndBytes.IsEmpty);
        Assert.True(Op.Get("k", new GetOptions()).RangeEndBytes.IsEmpty);
        Assert.True(Op.Delete("k").RangeEndBytes.IsEmpty);
    }

    [Fact]
    public void The_txn_builder_takes_if_then_else_once_each_and_in_that_order()
    {
        using var client = new EtcdClient("http://127.0.0.1:1");
        var compare = Compare.Version("k", CompareResult.Equal, 0);

        Assert.Throws<InvalidOperationException>(() => client.KV.Txn().If(compare).If(compare));
        Assert.Throws<InvalidOperationException>(() => client.KV.Txn().Then().If(compare));
        Assert.Throws<InvalidOperationException>(() => client.KV.Txn().Else().Then());
        Assert.Throws<InvalidOperationException>(() => client.KV.Txn().Else().Else());
        Assert.Throws<InvalidOperationException>(() => client.KV.Txn().Then().Then());
        Assert.NotNull(client.KV.Txn().If(compare).Then().Else());
    }

    [Fact]
    public void Descriptions_name_the_key_but_never_the_value()
    {
        Assert.Equal("Put /app/db", Op.Put("/app/db", "password=hunter2").ToString());
        Assert.DoesNotContain("hunter2", Compare.Value("/app/db", CompareResult.Equal, "hunter2").ToString(), StringComparison.Ordinal);
    }
}
