using System.Text;
using EtcdConfiguration.Client.Tests.Harness;

namespace EtcdConfiguration.Client.Tests.Watch;

public sealed class WatchTests(SingleMemberEtcd etcd) : IClassFixture<SingleMemberEtcd>
{
    [Fact]
    public async Task The_tutorial_watch_sees_puts_and_deletes_of_one_key_with_their_previous_values()
    {
        var key = etcd.UniquePrefix("tutorial") + "config_key";
        using var client = etcd.CreateClient();
        await using var watch = await client.Watch.StartWatchAsync(key, new WatchOptions { PrevKv = true });

        var first = await etcd.Kv.PutAsync(key, "{\"config1\":\"a\"}");
        var second = await etcd.Kv.PutAsync(key, "{\"config1\":\"b\"}");
        await etcd.Kv.PutAsync(key + "-other", "not watched");
        var deleted = await etcd.Kv.DeleteAsync(key);
        var events = await watch.EventsAsync(3);

        Assert.Equal(WatchEventType.Put, events[0].Type);
        Assert.True(events[0].IsCreate);
        Assert.Equal(key, events[0].Kv.Key);
        Assert.Equal("{\"config1\":\"a\"}", events[0].Kv.Value);
        Assert.Equal(first, events[0].Kv.ModRevision);
        Assert.Null(events[0].PrevKv);

        Assert.Equal(WatchEventType.Put, events[1].Type);
        Assert.True(events[1].IsModify);
        Assert.Equal("{\"config1\":\"b\"}", events[1].Kv.Value);
        Assert.Equal(second, events[1].Kv.ModRevision);
        Assert.Equal(2, events[1].Kv.Version);
        Assert.Equal("{\"config1\":\"a\"}", events[1].PrevKv!.Value);

        Assert.Equal(WatchEventType.Delete, events[2].Type);
        Assert.Equal(key, events[2].Kv.Key);
        Assert.Equal(deleted, events[2].Kv.ModRevision);
        Assert.Equal("{\"config1\":\"b\"}", events[2].PrevKv!.Value);
    }

    [Fact]
    public async Task A_prefix_watch_sees_every_key_under_the_prefix_and_nothing_beside_it()
    {
        var prefix = etcd.UniquePrefix("prefix") + "app/";
        using var client = etcd.CreateClient();
        await using var watch = await client.Watch.StartWatchAsync(prefix, new WatchOptions { Prefix = true });

        await etcd.Kv.PutAsync(prefix + "a", "1");
        await etcd.Kv.PutAsync(prefix.TrimEnd('/') + "spam", "beside the prefix");
        await etcd.Kv.PutAsync(prefix + "b/c", "2");
        var events = await watch.EventsAsync(2);

        Assert.Equal([prefix + "a", prefix + "b/c"], events.Select(e => e.Kv.Key));
        Assert.Equal(Encoding.UTF8.GetBytes(prefix + "a"), events[0].Kv.KeyBytes.ToArray());
        Assert.Equal("2"u8.ToArray(), events[1].Kv.ValueBytes.ToArray());
    }

    [Fact]
    public async Task A_byte_key_prefix_watch_matches_keys_whose_last_prefix_byte_is_0xFF()
    {
        var prefix = Encoding.UTF8.GetBytes(etcd.UniquePrefix("bytes")).Append((byte)0xFF).ToArray();
        using var client = etcd.CreateClient();
        var probe = new StreamProbe<WatchResponse>(ct => client.Watch.WatchAsync(prefix, new WatchOptions { Prefix = true }, ct));
        await using (probe)
        {
            Assert.True((await probe.NextAsync()).Created);
            var inside = prefix.Append((byte)'x').ToArray();
            var outside = prefix[..^1].Append((byte)'z').ToArray();
            await etcd.Kv.PutAsync(outside, "v");
            await etcd.Kv.PutAsync(inside, "v");

            var events = await probe.EventsAsync(1);

            Assert.Equal(inside, events[0].Kv.KeyBytes.ToArray());
        }
    }

    [Fact]
    public async Task A_range_watch_sees_keys_from_its_start_up_to_but_not_including_its_end()
    {
        var prefix = etcd.UniquePrefix("range");
        using var client = etcd.CreateClient();
        await using var watch = await client.Watch.StartWatchAsync(prefix + "b", new WatchOptions { RangeEnd = prefix + "d" });

        foreach (var name in new[] { "a", "b", "bz", "c", "d", "e" })
        {
            await etcd.Kv.PutAsync(prefix + name, name);
        }

        await etcd.Kv.PutAsync(prefix + "c", "again");
        var events = await watch.EventsAsync(4);

        Assert.Equal(["b", "bz", "c", "c"], events.Select(e => e.Kv.Key[prefix.Length..]));
        Assert.Equal("again", events[3].Kv.Value);
    }

    [Fact]
    public async Task A_watch_from_a_past_revision_replays_the_history_since_then_in_order()
    {
        var prefix = etcd.UniquePrefix("history");
        var revisions = new List<long>
        {
            await etcd.Kv.PutAsync(prefix + "a", "1"),
            await etcd.Kv.PutAsync(prefix + "b", "2"),
            await etcd.Kv.PutAsync(prefix + "a", "3"),
            await etcd.Kv.DeleteAsync(prefix + "b"),
        };
        using var client = etcd.CreateClient();

        await using var watch = await client.Watch.StartWatchAsync(prefix, new WatchOptions { Prefix = true, StartRevision = revisions[1], PrevKv = true });
        var events = await watch.EventsAsync(3);

        Assert.Equal(revisions[1..], events.Select(e => e.Kv.ModRevision));
        Assert.Equal([WatchEventType.Put, WatchEventType.Put, WatchEventType.Delete], events.Select(e => e.Type));
        Assert.Equal("1", events[1].PrevKv!.Value);
        Assert.Equal("2", events[2].PrevKv!.Value);
    }

    [Fact]
    public async Task A_replay_larger_than_etcds_message_limit_arrives_whole_after_etcd_splits_it_into_fragments()
    {
        var prefix = etcd.UniquePrefix("fragments");
        var value = new string('x', 600 * 1024);
        var revisions = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            revisions.Add(await etcd.Kv.PutAsync(prefix + i, value));
        }

        using var client = etcd.CreateClient();
        await using var watch = await client.Watch.StartWatchAsync(prefix, new WatchOptions { Prefix = true, StartRevision = revisions[0] });
        // 2.4 MB of history exceeds etcd's 1.5 MiB request limit, so etcd sends it in fragments.
        var response = await watch.NextAsync();

        Assert.Equal(revisions, response.Events.Select(e => e.Kv.ModRevision));
        Assert.All(response.Events, e => Assert.Equal(value.Length, e.Kv.ValueBytes.Length));
    }

    [Fact]
    public async Task Filters_leave_out_puts_or_deletes()
    {
        var key = etcd.UniquePrefix("filters") + "k";
        using var client = etcd.CreateClient();
        await using var deletesOnly = await client.Watch.StartWatchAsync(key, new WatchOptions { NoPut = true });
        await using var putsOnly = await client.Watch.StartWatchAsync(key, new WatchOptions { NoDelete = true });

        var put = await etcd.Kv.PutAsync(key, "1");
        var delete = await etcd.Kv.DeleteAsync(key);
        var putAgain = await etcd.Kv.PutAsync(key, "2");
        var deleteAgain = await etcd.Kv.DeleteAsync(key);

        var deletes = await deletesOnly.EventsAsync(2);
        var puts = await putsOnly.EventsAsync(2);
        Assert.All(deletes, e => Assert.Equal(WatchEventType.Delete, e.Type));
        Assert.Equal([delete, deleteAgain], deletes.Select(e => e.Kv.ModRevision));
        Assert.All(puts, e => Assert.Equal(WatchEventType.Put, e.Type));
        Assert.Equal([put, putAgain], puts.Select(e => e.Kv.ModRevision));
    }

    [Fact]
    public async Task RequestProgress_brings_a_progress_notification_to_every_watch()
    {
        var prefix = etcd.UniquePrefix("progress");
        using var client = etcd.CreateClient();
        await using var first = await client.Watch.StartWatchAsync(prefix + "a");
        await using var second = await client.Watch.StartWatchAsync(prefix + "b");
        var revision = await etcd.Kv.PutAsync(prefix + "unwatched", "moves the revision on");

        await client.Watch.RequestProgressAsync();

        foreach (var watch in new[] { first, second })
        {
            var progress = await watch.NextAsync();
            Assert.True(progress.IsProgressNotify);
            Assert.Empty(progress.Events);
            Assert.False(progress.Created);
            Assert.True(progress.Header.Revision >= revision, $"progress at {progress.Header.Revision}, put at {revision}");
        }
    }

    [Fact]
    public async Task Many_watches_of_one_client_share_one_stream_and_each_gets_only_its_own_events()
    {
        var prefix = etcd.UniquePrefix("shared");
        var logs = new FakeLogCollector();
        using var client = etcd.CreateClient(logs.CreateFactory());
        var watches = new List<StreamProbe<WatchResponse>>();
        try
        {
            for (var i = 0; i < 6; i++)
            {
                watches.Add(await client.Watch.StartWatchAsync(prefix + i));
            }

            for (var i = 5; i >= 0; i--)
            {
                await etcd.Kv.PutAsync(prefix + i, "value " + i);
            }

            for (var i = 0; i < 6; i++)
            {
                var events = await watches[i].EventsAsync(1);
                Assert.Equal(prefix + i, events[0].Kv.Key);
                Assert.Equal("value " + i, events[0].Kv.Value);
            }

            SharedStreams.AssertOpened(1, () => client.Watch.StreamsOpened, logs, "watch");
            Assert.Equal(etcd.Cluster.ClientUrls[0], await Eventually.SomeAsync(() => client.Watch.StreamEndpoint, "a watch stream is open"));
        }
        finally
        {
            foreach (var watch in watches)
            {
                await watch.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Canceling_one_watch_ends_it_and_leaves_the_others_running()
    {
        var prefix = etcd.UniquePrefix("cancel");
        var logs = new FakeLogCollector();
        using var client = etcd.CreateClient(logs.CreateFactory());
        await using var canceled = await client.Watch.StartWatchAsync(prefix + "a");
        await using var kept = await client.Watch.StartWatchAsync(prefix + "b");

        await canceled.CancelAsync();
        var ended = await canceled.EndAsync();
        await etcd.Kv.PutAsync(prefix + "a", "after the cancel");
        await etcd.Kv.PutAsync(prefix + "b", "still watched");
        var events = await kept.EventsAsync(1);

        Assert.IsAssignableFrom<OperationCanceledException>(ended);
        Assert.Equal(prefix + "b", events[0].Kv.Key);
        SharedStreams.AssertOpened(1, () => client.Watch.StreamsOpened, logs, "watch");
    }

    [Fact]
    public async Task The_stream_closes_with_the_last_watch_and_a_new_watch_opens_it_again()
    {
        var key = etcd.UniquePrefix("reopen") + "k";
        var logs = new FakeLogCollector();
        using var client = etcd.CreateClient(logs.CreateFactory());
        await using (await client.Watch.StartWatchAsync(key))
        {
            await Eventually.SomeAsync(() => client.Watch.StreamEndpoint, "a watch stream is open");
        }

        await Eventually.TrueAsync(() => client.Watch.StreamEndpoint is null, "the stream closed");
        await using var again = await client.Watch.StartWatchAsync(key);
        var revision = await etcd.Kv.PutAsync(key, "v");

        Assert.Equal(revision, (await again.EventsAsync(1))[0].Kv.ModRevision);
        SharedStreams.AssertOpened(2, () => client.Watch.StreamsOpened, logs, "watch");
    }

    [Fact]
    public async Task A_watch_from_a_compacted_revision_throws_EtcdCompactedException_with_the_compaction_revision()
    {
        var prefix = etcd.UniquePrefix("compacted");
        var old = await etcd.Kv.PutAsync(prefix + "a", "1");
        await etcd.Kv.PutAsync(prefix + "a", "2");
        var compactedAt = await etcd.Cluster.CompactAsync();
        using var client = etcd.CreateClient();

        var probe = new StreamProbe<WatchResponse>(ct => client.Watch.WatchAsync(prefix, new WatchOptions { Prefix = true, StartRevision = old }, ct));
        await using (probe)
        {
            var failure = await probe.EndAsync();

            var compacted = Assert.IsType<EtcdCompactedException>(failure);
            Assert.Equal(compactedAt, compacted.CompactRevision);
            Assert.Contains(prefix, compacted.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Disposing_the_client_ends_its_watches()
    {
        var key = etcd.UniquePrefix("dispose") + "k";
        var client = etcd.CreateClient();
        await using var watch = await client.Watch.StartWatchAsync(key);

        await client.DisposeAsync();

        Assert.Null(await watch.EndAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(async () =>
        {
            await foreach (var response in client.Watch.WatchAsync(key))
            {
                Assert.Fail($"A disposed client delivered {response}.");
            }
        });
    }

    [Fact]
    public void Contradicting_range_options_are_refused_before_anything_is_sent()
    {
        using var client = etcd.CreateClient();

        Assert.Throws<ArgumentException>(() => client.Watch.WatchAsync("k", new WatchOptions { Prefix = true, FromKey = true }));
        Assert.Throws<ArgumentException>(() => client.Watch.WatchAsync("k", new WatchOptions { StartRevision = -1 }));
    }
}
