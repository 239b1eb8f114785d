using System.Diagnostics;
using EtcdConfiguration.Client;

namespace EtcdConfiguration.Tests.Support;

/// <summary>
/// Writes a steady stream of changes under <c>{prefix}k/</c> until stopped: each step puts a new key, and every
/// fifth step also deletes an earlier one, so deletes are part of what the app must follow. A failed write is
/// retried (the client fails over); <see cref="Writes"/> counts the changes etcd confirmed.
/// </summary>
internal sealed class PrefixWriter : IAsyncDisposable
{
    /// <summary>How long a write under way when the writer is stopped may take to be confirmed.</summary>
    private static readonly TimeSpan ConfirmBound = TimeSpan.FromSeconds(60);

    private readonly EtcdClient _client;
    private readonly string _prefix;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _writes;
    private long _lastRevision;

    public PrefixWriter(IEnumerable<string> endpoints, string prefix)
    {
        // A short deadline: a put forwarded to a leader that just died waits out etcd's own 7 s request timeout,
        // which would measure the cluster's election, not the app.
        _client = new EtcdClient(new EtcdClientOptions
        {
            Endpoints = [.. endpoints],
            RequestTimeout = TimeSpan.FromSeconds(1),
            DialTimeout = TestTimeouts.EtcdAnswers,
        });
        _prefix = prefix;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Changes etcd has confirmed so far.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>The revision of the last confirmed change.</summary>
    public long LastRevision => Interlocked.Read(ref _lastRevision);

    /// <summary>
    /// Stops writing between two writes: a write under way is not abandoned (it could still be applied after
    /// the caller read etcd's state) but retried until etcd confirms it.
    /// </summary>
    /// <exception cref="EtcdException">The write under way could not be confirmed within a minute.</exception>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (EtcdException)
        {
            // StopAsync already threw this to the test that stopped the writer; a test that did not stop it is
            // ending anyway, and its own failure is the one to report.
        }

        await _client.DisposeAsync();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        for (var i = 0; !_stop.IsCancellationRequested; i++)
        {
            var key = $"{_prefix}k/{i:D5}";
            var value = $"v-{i}";
            await WriteAsync(async c => (await c.KV.PutAsync(key, value)).Header.Revision);
            if (i % 5 == 4)
            {
                var earlier = $"{_prefix}k/{i - 3:D5}";
                await WriteAsync(async c => (await c.KV.DeleteAsync(earlier)).Header.Revision);
            }

            try
            {
                await Task.Delay(10, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task WriteAsync(Func<EtcdClient, Task<long>> write)
    {
        // Runs from the first failure after the stop request: retrying a write is bounded only once stopping.
        var sinceStop = new Stopwatch();
        while (true)
        {
            try
            {
                Interlocked.Exchange(ref _lastRevision, await write(_client));
                Interlocked.Increment(ref _writes);
                return;
            }
            catch (EtcdException) when (sinceStop.Elapsed < ConfirmBound)
            {
                // A member went away mid-write; the client tries the others on the next attempt. A put or delete
                // of our own keys is idempotent for the final state, so trying again is safe.
                if (_stop.IsCancellationRequested)
                {
                    sinceStop.Start();
                }

                await Task.Delay(50, CancellationToken.None);
            }
        }
    }
}
