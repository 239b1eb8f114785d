using Microsoft.Extensions.Logging;

namespace EtcdConfiguration.Client.Internal;

/// <summary>
/// Refreshes the client's endpoints from the cluster's member list every <see cref="EtcdClientOptions.AutoSyncInterval"/>
/// (Go's <c>autoSync</c>): the client URLs of started, voting members. A refresh that fails or finds no usable URL
/// leaves the endpoints as they are; the next interval tries again.
/// </summary>
internal sealed class EndpointAutoSync : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly Func<CancellationToken, Task<MemberListResponse>> _listMembers;
    private readonly Func<IReadOnlyList<string>, bool> _setEndpoints;
    private readonly bool _defaultToHttps;
    private readonly ILogger _logger;
    private Task _loop = Task.CompletedTask;

    public EndpointAutoSync(
        TimeSpan interval,
        TimeProvider time,
        Func<CancellationToken, Task<MemberListResponse>> listMembers,
        Func<IReadOnlyList<string>, bool> setEndpoints,
        bool defaultToHttps,
        ILogger logger)
    {
        _interval = interval;
        _time = time;
        _listMembers = listMembers;
        _setEndpoints = setEndpoints;
        _defaultToHttps = defaultToHttps;
        _logger = logger;
    }

    /// <summary>Starts refreshing, the first time one interval from now.</summary>
    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Stops refreshing and waits for a refresh under way.</summary>
    public Task StopAsync() => DisposeAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    /// <summary>The endpoints a member list gives: client URLs of members that have started (they have a name) and vote.</summary>
    public static IReadOnlyList<string> ClientUrls(IEnumerable<Member> members, bool defaultToHttps) =>
        members
            .Where(m => !string.IsNullOrEmpty(m.Name) && !m.IsLearner)
            .SelectMany(m => m.ClientUrls)
            .Where(url => EndpointAddress.TryParse(url, defaultToHttps, out _))
            .Distinct(StringComparer.Ordinal)
            .ToArray();

    /// <summary>Lists the members once and sets the endpoints to theirs; false when the list gave none.</summary>
    public async Task<bool> SyncOnceAsync(CancellationToken cancellationToken)
    {
        var members = await _listMembers(cancellationToken);
        var urls = ClientUrls(members.Members, _defaultToHttps);
        if (urls.Count == 0)
        {
            _logger.LogWarning(
                "etcd endpoint auto-sync found no started member with a client URL among {Count} member(s); keeping the endpoints.",
                members.Members.Count);
            return false;
        }

        _setEndpoints(urls);
        return true;
    }

    private async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_interval, _time, stop);
                await SyncOnceAsync(stop);
            }
            catch (Exception ex) when (stop.IsCancellationRequested && ex is OperationCanceledException or EtcdException or ObjectDisposedException)
            {
                // The client is closing: a refresh cut short by it is no failure.
                return;
            }
            catch (EtcdException ex)
            {
                _logger.LogWarning("etcd endpoint auto-sync could not list the members: {Reason}; trying again in {Interval} s.", ex.Message, _interval.TotalSeconds);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or ArgumentException)
            {
                _logger.LogWarning(ex, "etcd endpoint auto-sync failed; trying again in {Interval} s.", _interval.TotalSeconds);
            }
        }
    }
}
