using EtcdConfiguration.Client.Internal;
using EtcdConfiguration.Client.Internal.Watching;
using Google.Protobuf;

namespace EtcdConfiguration.Client.Tests.Watch;

public sealed class WatchSubscriptionTests
{
    [Fact]
    public void A_watch_from_now_resumes_after_the_revision_it_was_created_at()
    {
        var watcher = new WatchSubscription(WatchRequests.Create("k"u8.ToArray(), null));
        Assert.Equal(0, watcher.NextCreateRequest().CreateRequest.StartRevision);

        watcher.OnCreated(Created(revision: 10));

        Assert.Equal(11, watcher.NextCreateRequest().CreateRequest.StartRevision);
        Assert.True(Read(watcher).Single().Created);
    }

    [Fact]
    public void A_watch_from_a_revision_resumes_there_until_something_was_delivered_then_after_the_last_event()
    {
        var watcher = new WatchSubscription(WatchRequests.Create("k"u8.ToArray(), new WatchOptions { StartRevision = 5 }));
        watcher.OnCreated(Created(revision: 20));
        Assert.Equal(5, watcher.NextCreateRequest().CreateRequest.StartRevision);

        watcher.OnEvents(Events(revisions: [5, 6, 7]));

        Assert.Equal(8, watcher.NextCreateRequest().CreateRequest.StartRevision);
    }

    [Fact]
    public void Events_replayed_after_a_reconnect_are_delivered_once()
    {
        var watcher = new WatchSubscription(WatchRequests.Create("k"u8.ToArray(), new WatchOptions { StartRevision = 1 }));
        watcher.OnCreated(Created(revision: 3));
        watcher.OnEvents(Events(revisions: [1, 2, 3]));

        // A re-created watch on a member that had not applied revision 3 when the first stream broke.
        watcher.OnCreated(Created(revision: 3));
        watcher.OnEvents(Events(revisions: [3]));
        watcher.OnEvents(Events(revisions: [2, 3, 4]));

        var delivered = Read(watcher).Where(r => !r.Created).ToList();
        Assert.Equal([1, 2, 3, 4], delivered.SelectMany(r => r.Events).Select(e => e.Kv.ModRevision));
        Assert.Equal(2, delivered.Count);
        Assert.Equal(5, watcher.NextCreateRequest().CreateRequest.StartRevision);
    }

    [Fact]
    public void Fragments_are_joined_into_one_response()
    {
        var watcher = new WatchSubscription(WatchRequests.Create("k"u8.ToArray(), new WatchOptions { StartRevision = 1 }));
        watcher.OnCreated(Created(revision: 9));

        var first = Events(revisions: [1, 2]);
        first.Fragment = true;
        var second = Events(revisions: [3]);
        second.Fragment = true;
        watcher.OnEvents(first);
        watcher.OnEvents(second);
        watcher.OnEvents(Events(revisions: [4]));

        var delivered = Read(watcher).Where(r => !r.Created).ToList();
        Assert.Equal([1, 2, 3, 4], Assert.Single(delivered).Events.Select(e => e.Kv.ModRevision));
    }

    [Fact]
    public void A_progress_notification_has_no_events_and_a_second_creation_is_not_announced_again()
    {
        var watcher = new WatchSubscription(WatchRequests.Create("k"u8.ToArray(), null));
        watcher.OnCreated(Created(revision: 4));
        watcher.OnCreated(Created(revision: 6));
        watcher.OnEvents(new Wire.WatchResponse { Header = new Wire.ResponseHeader { Revision = 7 } });

        var delivered = Read(watcher);
        Assert.Equal(2, delivered.Count);
        Assert.True(delivered[0].Created);
        Assert.True(delivered[1].IsProgressNotify);
        Assert.Equal(7, delivered[1].Header.Revision);
    }

    private static Wire.WatchResponse Created(long revision) =>
        new() { Created = true, Header = new Wire.ResponseHeader { Revision = revision } };

    private static Wire.WatchResponse Events(long[] revisions)
    {
        var response = new Wire.WatchResponse { Header = new Wire.ResponseHeader { Revision = revisions[^1] } };
        foreach (var revision in revisions)
        {
            response.Events.Add(new Wire.Mvcc.Event
            {
                Kv = new Wire.Mvcc.KeyValue { Key = ByteString.CopyFromUtf8("k"), ModRevision = revision, CreateRevision = 1 },
            });
        }

        return response;
    }

    private static List<WatchResponse> Read(WatchSubscription watcher)
    {
        var responses = new List<WatchResponse>();
        while (watcher.Reader.TryRead(out var response))
        {
            responses.Add(response);
        }

        return responses;
    }
}
