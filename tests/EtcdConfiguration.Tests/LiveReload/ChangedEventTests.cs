using EtcdConfiguration.Client;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Tests.LiveReload;

/// <summary>
/// <see cref="EtcdConfigurationProvider.Changed"/>: one event per applied batch that changed the configuration,
/// raised once readers see the change, with the revision and every changed key; and the log line of each batch.
/// </summary>
public sealed class ChangedEventTests(ProviderClusterFixture fixture) : IClassFixture<ProviderClusterFixture>
{
    [Fact]
    public async Task ATransactionRaisesOneEventWithAllItsChangesAtItsRevision()
    {
        var p = ProviderClusterFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(p + "Db/Host", "old-host");
        await fixture.Client.KV.PutAsync(p + "Db/Port", "1");
        using var root = fixture.Build(p);
        using var events = new ChangedRecorder(root);

        var txn = await fixture.Client.KV.Txn()
            .Then(Op.Put(p + "Db/Host", "new-host"), Op.Delete(p + "Db/Port"), Op.Put(p + "Db/Name", "orders"))
            .CommitAsync();
        var raised = await events.WaitForAsync(e => e.Revision >= txn.Header.Revision, "the transaction's event");

        Assert.Equal(txn.Header.Revision, raised.Revision);
        Assert.Equal("Db:Host: old-host -> new-host; Db:Name: <none> -> orders; Db:Port: 1 -> <none>", ChangedRecorder.Show(raised));
        Assert.All(events.ReaderViews, view => Assert.Equal("seen", view));

        // One event for the whole transaction: the next write's event comes straight after it.
        var marker = await fixture.Client.KV.PutAsync(p + "Marker", "1");
        await events.WaitForAsync(e => e.Revision == marker.Header.Revision, "the marker's event");
        Assert.Equal([txn.Header.Revision, marker.Header.Revision], events.Events.Select(e => e.Revision));
    }

    [Fact]
    public async Task AHandlerAttachedBeforeTheFirstLoadSeesEveryKeyAdded()
    {
        var p = ProviderClusterFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(p + "B", "2");
        await fixture.Client.KV.PutAsync(p + "Doc", """{"X":"x"}""");
        await fixture.Client.KV.PutAsync(p + "A", "1");
        var source = new EtcdConfigurationSource();
        fixture.Configure(source, p, s => s.ReloadOnChange = false);
        using var provider = new EtcdConfigurationProvider(source);
        var raised = new List<EtcdConfigurationChangedEventArgs>();
        provider.Changed += (_, e) => raised.Add(e);

        provider.Load();

        var first = Assert.Single(raised);
        Assert.Equal(provider.Revision, first.Revision);
        Assert.Equal("A: <none> -> 1; B: <none> -> 2; Doc:X: <none> -> x", ChangedRecorder.Show(first));
    }

    [Fact]
    public async Task AWriteThatChangesNothingRaisesNothing()
    {
        var p = ProviderClusterFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(p + "Same", "value");
        await fixture.Client.KV.PutAsync(p + "Blob", """{"X":1,"Y":[true]}""");
        using var root = fixture.Build(p);
        using var events = new ChangedRecorder(root);

        await fixture.Client.KV.PutAsync(p + "Same", "value");
        await fixture.Client.KV.PutAsync(p + "Blob", """{ "X": 1, "Y": [ true ] }""");
        await fixture.Client.KV.DeleteAsync(p + "Absent");
        var marker = await fixture.Client.KV.PutAsync(p + "Marker", "1");
        await events.WaitForAsync(e => e.Revision == marker.Header.Revision, "the marker's event");

        Assert.Equal(["Marker: <none> -> 1"], events.Shown);
    }

    [Fact]
    public async Task AJsonValueChangeNamesTheConfigurationKeysInsideIt()
    {
        var p = ProviderClusterFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(p + "Doc", """{"X":"1","Y":"2","List":["a","b"]}""");
        using var root = fixture.Build(p);
        using var events = new ChangedRecorder(root);

        var put = await fixture.Client.KV.PutAsync(p + "Doc", """{"X":"1","Y":"3","List":["a"],"Z":{"W":"4"}}""");
        var raised = await events.WaitForAsync(e => e.Revision == put.Header.Revision, "the blob's event");

        Assert.Equal("Doc:List:1: b -> <none>; Doc:Y: 2 -> 3; Doc:Z:W: <none> -> 4", ChangedRecorder.Show(raised));
        Assert.Equal("3", root["Doc:Y"]);
    }

    [Fact]
    public async Task AHandlerThatThrowsIsLoggedAndNeitherOtherHandlersNorLaterEventsNorTheWatchStop()
    {
        var p = ProviderClusterFixture.NewPrefix();
        var log = new FakeLogCollector();
        using var loggerFactory = log.CreateFactory();
        await fixture.Client.KV.PutAsync(p + "Key", "0");
        using var root = fixture.Build(p, source => source.LoggerFactory = loggerFactory);
        var provider = root.Providers.OfType<EtcdConfigurationProvider>().Single();
        var thrown = 0;
        provider.Changed += (_, _) =>
        {
            Interlocked.Increment(ref thrown);
            throw new InvalidOperationException("handler bug");
        };
        using var events = new ChangedRecorder(root);

        var first = await fixture.Client.KV.PutAsync(p + "Key", "1");
        await events.WaitForAsync(e => e.Revision == first.Header.Revision, "the first event reaches the second handler");
        var second = await fixture.Client.KV.PutAsync(p + "Key", "2");
        await events.WaitForAsync(e => e.Revision == second.Header.Revision, "a later event still comes");

        Assert.Equal(["Key: 0 -> 1", "Key: 1 -> 2"], events.Shown);
        Assert.Equal(2, Volatile.Read(ref thrown));
        Assert.Equal("2", root["Key"]);
        await ProviderWaits.StatusCaughtUpAsync(provider);
        Assert.Equal(EtcdConfigurationState.Live, provider.Status.State);
        Assert.Equal(
            2,
            log.Lines.Count(line => line.StartsWith("Error", StringComparison.Ordinal)
                && line.Contains("A Changed handler", StringComparison.Ordinal)
                && line.Contains("handler bug", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task EachChangedBatchIsLoggedAtInformationWithItsRevisionAndKeysButNoValue()
    {
        var p = ProviderClusterFixture.NewPrefix();
        var log = new FakeLogCollector();
        using var loggerFactory = log.CreateFactory();
        await fixture.Client.KV.PutAsync(p + "Db/Password", "old-secret-3f9c");
        using var root = fixture.Build(p, source => source.LoggerFactory = loggerFactory);

        var txn = await fixture.Client.KV.Txn()
            .Then(Op.Put(p + "Db/Password", "new-secret-8d2e"), Op.Put(p + "Db/User", "app-user-77"))
            .CommitAsync();
        await Eventually.ValueAsync(root, "Db:User", "app-user-77");

        var line = await Eventually.SomeAsync(
            () => log.Lines.FirstOrDefault(l => l.StartsWith("Information", StringComparison.Ordinal) && l.Contains(" changed at revision ", StringComparison.Ordinal)),
            "the batch is logged");
        Assert.Contains($"revision {txn.Header.Revision}: 2 key(s): Db:Password, Db:User.", line, StringComparison.Ordinal);
        Assert.DoesNotContain(log.Lines, l => l.Contains("secret", StringComparison.Ordinal) || l.Contains("app-user-77", StringComparison.Ordinal));
    }
}
