using Microsoft.Extensions.Logging;

namespace EtcdConfiguration.Client.Internal.Resilience;

/// <summary>
/// The one background loop of a client's shared stream (the watch stream, the lease keep-alive stream): it starts
/// with the first member (a watch, a kept-alive lease), runs one stream after another with the policy's backoff
/// between them until the last member leaves or the client closes, and a member added just as it ends starts a
/// new loop rather than waiting on one that is leaving.
/// </summary>
internal sealed class ReconnectLoop
{
    private readonly Lock _gate;
    private readonly string _name;
    private readonly EtcdRetryPolicy _policy;
    private readonly ILogger _logger;
    private readonly Func<int> _members;
    private readonly Func<int, ReconnectBackoff, CancellationToken, Task> _runStream;
    private readonly Action<Exception> _failAll;
    private readonly Func<CancellationToken, Task>? _alongside;
    private CancellationTokenSource? _closing;
    private Task _loop = Task.CompletedTask;

    /// <param name="gate">The owner's lock, under which its members are counted and added.</param>
    /// <param name="name">The stream, for messages: "watch", "lease keep-alive".</param>
    /// <param name="policy">The client's retry policy, for the backoff between streams.</param>
    /// <param name="logger">The client's logger.</param>
    /// <param name="members">How many members want the stream (under <paramref name="gate"/>); 0 ends the loop.</param>
    /// <param name="runStream">Runs one stream until it ends and waits the backoff its end calls for, given the member count.</param>
    /// <param name="failAll">Ends every member with the failure (under <paramref name="gate"/>) when the loop itself fails.</param>
    /// <param name="alongside">Work that runs as long as the loop does, stopped and awaited when it ends.</param>
    public ReconnectLoop(
        Lock gate,
        string name,
        EtcdRetryPolicy policy,
        ILogger logger,
        Func<int> members,
        Func<int, ReconnectBackoff, CancellationToken, Task> runStream,
        Action<Exception> failAll,
        Func<CancellationToken, Task>? alongside = null)
    {
        _gate = gate;
        _name = name;
        _policy = policy;
        _logger = logger;
        _members = members;
        _runStream = runStream;
        _failAll = failAll;
        _alongside = alongside;
    }

    /// <summary>The loop now running, or the last one; completed once it has ended.</summary>
    public Task Completion => _loop;

    /// <summary>Starts the loop unless one is running. Call under the gate, after adding the member.</summary>
    public void EnsureRunning()
    {
        if (_closing is null)
        {
            var closing = new CancellationTokenSource();
            _closing = closing;
            _loop = Task.Run(() => RunAsync(closing));
        }
    }

    /// <summary>Stops the loop; returns it, which ends soon after. Call under the gate.</summary>
    public Task Stop()
    {
        _closing?.Cancel();
        _closing = null;
        return _loop;
    }

    private async Task RunAsync(CancellationTokenSource loopClosing)
    {
        var closing = loopClosing.Token;
        var backoff = new ReconnectBackoff(_policy);
        using var alongsideStop = CancellationTokenSource.CreateLinkedTokenSource(closing);
        var alongside = _alongside?.Invoke(alongsideStop.Token) ?? Task.CompletedTask;
        try
        {
            while (true)
            {
                int count;
                lock (_gate)
                {
                    count = _members();
                    if (count == 0 || closing.IsCancellationRequested)
                    {
                        // Under the same lock as the check, so a member added now starts a new loop.
                        Forget(loopClosing);
                        return;
                    }
                }

                await _runStream(count, backoff, closing);
            }
        }
        catch (Exception ex) when (closing.IsCancellationRequested)
        {
            _logger.LogDebug("The etcd {Stream} loop stopped as the client closed: {Reason}", _name, ex.Message);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "The etcd {Stream} loop failed; ending every watch or keep-alive on it with the failure.", _name);
            lock (_gate)
            {
                _failAll(new EtcdException($"The etcd {_name} stream failed unexpectedly: {ex.Message}", ex));
                Forget(loopClosing);
            }
        }
        finally
        {
            lock (_gate)
            {
                Forget(loopClosing);
            }

            await alongsideStop.CancelAsync();
            await alongside;
            loopClosing.Dispose();
        }
    }

    private void Forget(CancellationTokenSource loopClosing)
    {
        if (_closing == loopClosing)
        {
            _closing = null;
        }
    }
}
