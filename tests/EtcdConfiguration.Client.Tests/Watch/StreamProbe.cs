using System.Threading.Channels;

namespace EtcdConfiguration.Client.Tests.Watch;

/// <summary>
/// Reads an async stream (a watch, a keep-alive) in the background so a test can take its items one by one with a
/// bounded wait, and see how it ended. Disposing it cancels the enumeration.
/// </summary>
internal sealed class StreamProbe<T> : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<T> _items = Channel.CreateUnbounded<T>();
    private readonly Task _pump;

    public StreamProbe(Func<CancellationToken, IAsyncEnumerable<T>> source)
    {
        _pump = Task.Run(async () =>
        {
            try
            {
                await foreach (var item in source(_stop.Token))
                {
                    _items.Writer.TryWrite(item);
                }

                _items.Writer.TryComplete();
            }
            catch (Exception ex)
            {
                _items.Writer.TryComplete(ex);
            }
        });
    }

    /// <summary>Cancels the enumeration, as a caller's token would.</summary>
    public Task CancelAsync() => _stop.CancelAsync();

    /// <summary>The next item; throws what the stream threw, or fails the test when none comes in time.</summary>
    public async Task<T> NextAsync(int seconds = 30)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            while (await _items.Reader.WaitToReadAsync(timeout.Token))
            {
                if (_items.Reader.TryRead(out var item))
                {
                    return item;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            Assert.Fail($"No item arrived within {seconds} s.");
        }

        Assert.Fail("The stream ended without another item.");
        return default!;
    }

    /// <summary>Waits until the stream ends, skipping items; returns what it threw, or null when it ended normally.</summary>
    public async Task<Exception?> EndAsync(int seconds = 30)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            while (await _items.Reader.WaitToReadAsync(timeout.Token))
            {
                _items.Reader.TryRead(out _);
            }

            return null;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            Assert.Fail($"The stream did not end within {seconds} s.");
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _pump;
        _stop.Dispose();
    }
}
