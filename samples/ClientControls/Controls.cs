using EtcdConfiguration.Client;

namespace ClientControls;

/// <summary>
/// The client's controls beyond Go's tutorial, run against a running etcd: options for require-leader, the send
/// limit and endpoint auto-sync, a kept-alive lease whose loss is reported, an oversized request, changing the
/// endpoints and closing every watch. The README quotes the regions between <c>// snippet:</c> markers verbatim,
/// and a test checks that.
/// </summary>
public static class Controls
{
    /// <summary>Runs every section in order, writing what each one sees to <paramref name="output"/>.</summary>
    /// <param name="endpoints">Comma-separated etcd URLs.</param>
    /// <param name="output">Where the sample reports.</param>
    public static async Task RunAsync(string endpoints, TextWriter output)
    {
        // snippet: controls_options
        await using var client = new EtcdClient(new EtcdClientOptions
        {
            Endpoints = EtcdClient.SplitEndpoints(endpoints),
            RequireLeader = true,                       // a member cut off from its leader refuses at once
            MaxSendMessageSize = 1024 * 1024,           // a larger request fails before it is sent
            AutoSyncInterval = TimeSpan.FromMinutes(1), // follow the cluster's member list
        });
        // end snippet

        await LeaseLossAsync(client, output);
        await SendLimitAsync(client, output);
        SetEndpoints(client, endpoints, output);
        await CloseWatchesAsync(client, output);
    }

    private static async Task LeaseLossAsync(EtcdClient client, TextWriter output)
    {
        using var stopping = new CancellationTokenSource();

        // snippet: lease_loss
        var lease = await client.Lease.GrantAsync(ttlSeconds: 10);
        try
        {
            await foreach (var renewal in client.Lease.KeepAliveAsync(lease.Id, stopping.Token))
            {
                output.WriteLine($"lease {lease.Id:x} renewed for {renewal.Ttl} s");
                await stopping.CancelAsync(); // the sample stops after the first renewal
            }
        }
        catch (EtcdLeaseExpiredException ex)
        {
            // No member renewed it within its TTL (all unreachable): etcd has expired it and deleted its keys.
            output.WriteLine($"lease {ex.LeaseId:x} lost: not renewed within {ex.Ttl.TotalSeconds} s");
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            output.WriteLine($"stopped keeping lease {lease.Id:x} alive");
        }
        // end snippet

        await client.Lease.RevokeAsync(lease.Id);
    }

    private static async Task SendLimitAsync(EtcdClient client, TextWriter output)
    {
        // snippet: max_send
        try
        {
            await client.KV.PutAsync("/controls/big", new string('x', 2 * 1024 * 1024));
        }
        catch (EtcdRequestTooLargeException ex)
        {
            output.WriteLine($"{ex.Operation} not sent: {ex.RequestSize} bytes is over the limit of {ex.Limit}");
        }
        // end snippet
    }

    private static void SetEndpoints(EtcdClient client, string endpoints, TextWriter output)
    {
        // snippet: set_endpoints
        client.SetEndpoints([.. EtcdClient.SplitEndpoints(endpoints)]);
        output.WriteLine($"endpoints: {string.Join(", ", client.Endpoints)}");
        // end snippet
    }

    private static async Task CloseWatchesAsync(EtcdClient client, TextWriter output)
    {
        var created = new TaskCompletionSource();

        // snippet: close_watches
        var watching = Task.Run(async () =>
        {
            await foreach (var response in client.Watch.WatchAsync("/controls/", new WatchOptions { Prefix = true }))
            {
                created.TrySetResult();
            }

            output.WriteLine("the watch ended");
        });
        await created.Task;

        // Ends every watch of the client (their enumerations finish normally); the client stays usable.
        await client.Watch.CloseAllAsync();
        await watching;
        // end snippet
    }
}
