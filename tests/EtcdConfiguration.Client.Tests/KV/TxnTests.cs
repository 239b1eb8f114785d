namespace EtcdConfiguration.Client.Tests.KV;

/// <summary>Op, Do and Txn: the tutorial's examples, each compare target and result, nesting.</summary>
public sealed class TxnTests(SingleMemberFixture fixture) : IClassFixture<SingleMemberFixture>
{
    private readonly KVClient _kv = fixture.Client.KV;

    [Fact]
    public async Task Do_runs_a_list_of_ops_one_by_one_with_the_matching_payloads()
    {
        var key = SingleMemberFixture.NewPrefix("Do") + "put-key";
        Op[] ops = [Op.Put(key, "123"), Op.Get(key), Op.Put(key, "456"), Op.Delete(key, new DeleteOptions { PrevKv = true })];

        var responses = new List<OpResponse>();
        foreach (var op in ops)
        {
            responses.Add(await _kv.DoAsync(op));
        }

        Assert.Equal([OpKind.Put, OpKind.Get, OpKind.Put, OpKind.Delete], responses.Select(r => r.Kind));
        Assert.NotNull(responses[0].Put);
        Assert.Null(responses[0].Get);
        Assert.Equal("123", Assert.Single(responses[1].Get!.Kvs).Value);
        Assert.Null(responses[1].Put);
        Assert.Equal("456", Assert.Single(responses[3].Delete!.PrevKvs).Value);
        Assert.Equal(responses[2].Put!.Header.Revision, responses[2].Header.Revision);
        Assert.True(responses[3].Header.Revision > responses[2].Header.Revision);
    }

    [Fact]
    public async Task Do_runs_a_txn_op()
    {
        var key = SingleMemberFixture.NewPrefix("Do") + "k";
        var op = Op.Txn([Compare.Version(key, CompareResult.Equal, 0)], [Op.Put(key, "created")], [Op.Get(key)]);

        var first = await _kv.DoAsync(op);
        var second = await _kv.DoAsync(op);

        Assert.Equal(OpKind.Txn, first.Kind);
        Assert.True(first.Txn!.Succeeded);
        Assert.Equal(OpKind.Put, Assert.Single(first.Txn.Responses).Kind);
        Assert.False(second.Txn!.Succeeded);
        Assert.Equal("created", Assert.Single(Assert.Single(second.Txn.Responses).Get!.Kvs).Value);
    }

    [Fact]
    public async Task The_tutorial_txn_takes_then_when_every_compare_holds_and_else_otherwise()
    {
        var root = SingleMemberFixture.NewPrefix("Txn");
        await _kv.PutAsync(root + "k1", "v0");
        await _kv.PutAsync(root + "k1", "v2");

        Task<TxnResponse> Tutorial() => _kv.Txn()
            .If(Compare.Value(root + "k1", CompareResult.Greater, "v1"), Compare.Version(root + "k1", CompareResult.Equal, 2))
            .Then(Op.Put(root + "k2", "v2"), Op.Put(root + "k3", "v3"))
            .Else(Op.Put(root + "k4", "v4"), Op.Put(root + "k5", "v5"))
            .CommitAsync();

        var taken = await Tutorial();
        Assert.True(taken.Succeeded);
        Assert.Equal(2, taken.Responses.Count);
        Assert.All(taken.Responses, r => Assert.Equal(taken.Header.Revision, r.Put!.Header.Revision));
        Assert.Equal(["k1", "k2", "k3"], await KeysAsync(root));

        await _kv.PutAsync(root + "k1", "v3");
        var notTaken = await Tutorial();
        Assert.False(notTaken.Succeeded);
        Assert.Equal(["k1", "k2", "k3", "k4", "k5"], await KeysAsync(root));
    }

    public static TheoryData<CompareTarget, CompareResult> CompareCases()
    {
        var data = new TheoryData<CompareTarget, CompareResult>();
        foreach (var target in Enum.GetValues<CompareTarget>())
        {
            foreach (var result in Enum.GetValues<CompareResult>())
            {
                data.Add(target, result);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CompareCases))]
    public async Task Each_compare_target_and_result_picks_then_when_it_holds_and_else_when_not(CompareTarget target, CompareResult result)
    {
        var lease = await fixture.SharedLeaseAsync();
        var root = SingleMemberFixture.NewPrefix("Compare");
        var key = root + "k";
        await _kv.PutAsync(key, "m");
        await _kv.PutAsync(root + "other", "x");
        await _kv.PutAsync(key, "m", new PutOptions { Lease = lease });
        var actual = Assert.Single((await _kv.GetAsync(key)).Kvs);
        Assert.True(actual.CreateRevision < actual.ModRevision);

        // For each result an operand offset that makes it hold and one that makes it fail.
        var (holds, fails) = result switch
        {
            CompareResult.Equal => (0, 1),
            CompareResult.NotEqual => (1, 0),
            CompareResult.Greater => (-1, 0),
            _ => (1, 0),
        };

        var whenHolds = await RunAsync(Condition(holds));
        var whenFails = await RunAsync(Condition(fails));

        Assert.True(whenHolds.Succeeded, $"{target} {result} offset {holds} should hold");
        Assert.Equal(OpKind.Put, Assert.Single(whenHolds.Responses).Kind);
        Assert.False(whenFails.Succeeded, $"{target} {result} offset {fails} should fail");
        Assert.Equal(OpKind.Get, Assert.Single(whenFails.Responses).Kind);
        Assert.Equal(target, Condition(0).Target);
        Assert.Equal(result, Condition(0).Result);

        Compare Condition(int offset) => target switch
        {
            CompareTarget.Value => Compare.Value(key, result, ((char)('m' + offset)).ToString()),
            CompareTarget.Version => Compare.Version(key, result, actual.Version + offset),
            CompareTarget.CreateRevision => Compare.CreateRevision(key, result, actual.CreateRevision + offset),
            CompareTarget.ModRevision => Compare.ModRevision(key, result, actual.ModRevision + offset),
            _ => Compare.Lease(key, result, actual.Lease + offset),
        };

        Task<TxnResponse> RunAsync(Compare condition) =>
            _kv.Txn().If(condition).Then(Op.Put(root + "then", "1")).Else(Op.Get(root + "other")).CommitAsync();
    }

    [Fact]
    public async Task Compares_on_a_missing_key_see_version_zero_and_no_value()
    {
        var key = SingleMemberFixture.NewPrefix("Txn") + "absent";

        var absent = await _kv.Txn().If(Compare.Version(key, CompareResult.Equal, 0), Compare.CreateRevision(key, CompareResult.Equal, 0)).CommitAsync();
        var valueCompare = await _kv.Txn().If(Compare.Value(key, CompareResult.NotEqual, "x")).CommitAsync();

        Assert.True(absent.Succeeded);
        Assert.False(valueCompare.Succeeded);
    }

    [Fact]
    public async Task A_txn_without_conditions_takes_then()
    {
        var key = SingleMemberFixture.NewPrefix("Txn") + "k";

        var response = await _kv.Txn().Then(Op.Put(key, "v")).CommitAsync();

        Assert.True(response.Succeeded);
        Assert.Equal("v", Assert.Single((await _kv.GetAsync(key)).Kvs).Value);
    }

    [Fact]
    public async Task A_nested_txn_reports_its_own_branch_and_responses()
    {
        var root = SingleMemberFixture.NewPrefix("Txn");
        await _kv.PutAsync(root + "flag", "off");

        var inner = Op.Txn(
            [Compare.Value(root + "flag", CompareResult.Equal, "on")],
            [Op.Put(root + "inner-then", "1")],
            [Op.Get(root + "flag"), Op.Put(root + "inner-else", "1")]);
        var response = await _kv.Txn()
            .If(Compare.Version(root + "flag", CompareResult.Equal, 1))
            .Then(inner, Op.Put(root + "outer-then", "1"))
            .CommitAsync();

        Assert.True(response.Succeeded);
        Assert.Equal([OpKind.Txn, OpKind.Put], response.Responses.Select(r => r.Kind));
        var nested = response.Responses[0].Txn!;
        Assert.False(nested.Succeeded);
        Assert.Equal("off", Assert.Single(nested.Responses[0].Get!.Kvs).Value);
        Assert.Equal(OpKind.Put, nested.Responses[1].Kind);
        Assert.Equal(["flag", "inner-else", "outer-then"], await KeysAsync(root));
    }

    [Fact]
    public async Task A_prefix_compare_holds_only_when_it_holds_for_every_key_under_the_prefix()
    {
        var root = SingleMemberFixture.NewPrefix("Txn");
        await _kv.PutAsync(root + "dir/a", "same");
        await _kv.PutAsync(root + "dir/b", "same");

        var allSame = await _kv.Txn().If(Compare.Value(root + "dir/", CompareResult.Equal, "same").WithPrefix()).CommitAsync();
        await _kv.PutAsync(root + "dir/c", "different");
        var oneDiffers = await _kv.Txn().If(Compare.Value(root + "dir/", CompareResult.Equal, "same").WithPrefix()).CommitAsync();
        var inRange = await _kv.Txn().If(Compare.Value(root + "dir/a", CompareResult.Equal, "same").WithRange(root + "dir/c")).CommitAsync();

        Assert.True(allSame.Succeeded);
        Assert.False(oneDiffers.Succeeded);
        Assert.True(inRange.Succeeded);
    }

    [Fact]
    public async Task A_txn_put_with_an_unknown_lease_fails_with_EtcdLeaseNotFoundException()
    {
        const long unknownLease = 0x7777_0000_1111;
        var key = SingleMemberFixture.NewPrefix("Txn") + "k";

        var ex = await Assert.ThrowsAsync<EtcdLeaseNotFoundException>(
            () => _kv.Txn().Then(Op.Put(key, "v", new PutOptions { Lease = unknownLease })).CommitAsync());

        Assert.Equal(unknownLease, ex.LeaseId);
        Assert.Equal("KV.Txn", ex.Operation);
    }

    [Fact]
    public async Task A_txn_that_writes_one_key_twice_is_refused_by_etcd()
    {
        var key = SingleMemberFixture.NewPrefix("Txn") + "k";

        await Assert.ThrowsAsync<EtcdInvalidArgumentException>(
            () => _kv.Txn().Then(Op.Put(key, "1"), Op.Put(key, "2")).CommitAsync());
    }

    private async Task<string[]> KeysAsync(string root) =>
        (await _kv.GetAsync(root, new GetOptions { Prefix = true, KeysOnly = true })).Kvs.Select(kv => kv.Key[root.Length..]).ToArray();
}
