using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EtcdConfiguration.Testing;

namespace EtcdConfiguration.Client.Tests.Core;

/// <summary>The first connection is bounded by DialTimeout and fails with a message naming the endpoint.</summary>
public sealed class DialTimeoutTests
{
    private static readonly TimeSpan DialTimeout = TimeSpan.FromSeconds(1.5);

    [Fact]
    public async Task Nothing_listening_fails_with_EtcdUnavailableException_naming_the_endpoint_after_the_dial_timeout()
    {
        using var refused = new RefusedEndpoint();
        var endpoint = refused.Url;
        await using var client = new EtcdClient(new EtcdClientOptions { Endpoints = [endpoint], DialTimeout = DialTimeout });

        var watch = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<EtcdUnavailableException>(() => client.KV.GetAsync("k").WaitAsync(TimeSpan.FromSeconds(30)));
        watch.Stop();

        Assert.Contains(endpoint, ex.Message, StringComparison.Ordinal);
        Assert.Contains("DialTimeout", ex.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed >= DialTimeout * 0.5, $"gave up after {watch.Elapsed}, before half the dial timeout");
    }

    [Fact]
    public async Task ConnectAsync_with_nothing_listening_fails_with_EtcdUnavailableException()
    {
        using var refused = new RefusedEndpoint();
        var endpoint = refused.Url;

        var ex = await Assert.ThrowsAsync<EtcdUnavailableException>(
            () => EtcdClient.ConnectAsync(new EtcdClientOptions { Endpoints = [endpoint], DialTimeout = DialTimeout }).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Contains(endpoint, ex.Message, StringComparison.Ordinal);
        Assert.Equal(Grpc.Core.StatusCode.Unavailable, ex.StatusCode);
    }

    [Fact]
    public async Task A_server_that_accepts_but_never_answers_fails_with_EtcdUnavailableException_after_the_dial_timeout()
    {
        // The kernel completes TCP handshakes into the backlog, so the connection opens but no HTTP/2 reply ever comes.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var endpoint = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";
        await using var client = new EtcdClient(new EtcdClientOptions { Endpoints = [endpoint], DialTimeout = DialTimeout });

        var watch = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<EtcdUnavailableException>(() => client.KV.PutAsync("k", "v").WaitAsync(TimeSpan.FromSeconds(30)));
        watch.Stop();

        Assert.Contains(endpoint, ex.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed >= DialTimeout * 0.5, $"gave up after {watch.Elapsed}, before half the dial timeout");
    }

    [Fact]
    public async Task A_canceled_call_during_the_dial_throws_OperationCanceledException()
    {
        using var refused = new RefusedEndpoint();
        await using var client = new EtcdClient(new EtcdClientOptions { Endpoints = [refused.Url], DialTimeout = TimeSpan.FromSeconds(20) });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.KV.GetAsync("k", cancellationToken: cancel.Token).WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
