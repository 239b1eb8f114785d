using System.Globalization;
using System.Runtime.CompilerServices;
using EtcdConfiguration.Client;

namespace EtcdConfiguration.Monitoring;

/// <summary>
/// etcd's active alarms (such as NOSPACE) as one client sees them, for the health check: one probe per client, so
/// every source sharing a client shares its answers. A health endpoint may be polled every few seconds, so an answer
/// is reused for <see cref="ReuseFor"/>, one question at a time is in flight, and a check waits at most
/// <see cref="CheckWait"/> for it: a slow or unreachable etcd never holds up a check, and the answer that comes later
/// serves the next one.
/// </summary>
internal sealed class AlarmProbe
{
    /// <summary>How long an answer (or a failure to get one) serves later checks before etcd is asked again.</summary>
    public static readonly TimeSpan ReuseFor = TimeSpan.FromSeconds(10);

    /// <summary>How long one check waits for etcd's answer before it reports without it.</summary>
    public static readonly TimeSpan CheckWait = TimeSpan.FromSeconds(1);

    /// <summary>The bound on one question to etcd (alarm list and, when there are alarms, the member list).</summary>
    public static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(5);

    private static readonly ConditionalWeakTable<EtcdClient, AlarmProbe> Probes = [];

    private readonly EtcdClient _client;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private AlarmReading? _last;
    private long _lastAt;
    private Task<AlarmReading>? _inFlight;

    private AlarmProbe(EtcdClient client)
    {
        _client = client;
        // The real clock, not the client's: these bounds keep a health endpoint answering, even for a client whose
        // retries run on a test's fake clock.
        _time = TimeProvider.System;
    }

    /// <summary>The probe of <paramref name="client"/>, created on first use and gone with the client.</summary>
    public static AlarmProbe For(EtcdClient client) => Probes.GetValue(client, static c => new AlarmProbe(c));

    /// <summary>
    /// The latest answer: a recent one as it is, else etcd's answer if it comes within <see cref="CheckWait"/>, else
    /// the last answer there was (or, before the first, a reading saying etcd has not answered yet).
    /// </summary>
    /// <param name="cancellationToken">The check's own cancellation; the question to etcd goes on without it.</param>
    public async Task<AlarmReading> ReadAsync(CancellationToken cancellationToken)
    {
        Task<AlarmReading> inFlight;
        lock (_gate)
        {
            if (_last is { } last && _time.GetElapsedTime(_lastAt) < ReuseFor)
            {
                return last;
            }

            inFlight = _inFlight ??= QueryAsync();
        }

        try
        {
            return await inFlight.WaitAsync(CheckWait, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                return _last ?? AlarmReading.Failed(
                    $"etcd has not answered the alarm list within {CheckWait.TotalSeconds:0.###} s; the next check reports its answer.",
                    _time.GetUtcNow());
            }
        }
    }

    private async Task<AlarmReading> QueryAsync()
    {
        // Off the check's thread, so that the wait above bounds even the part of the call that runs synchronously.
        await Task.Yield();
        AlarmReading reading;
        using (var timeout = new CancellationTokenSource(QueryTimeout, _time))
        {
            try
            {
                var alarms = await _client.Maintenance.AlarmListAsync(timeout.Token).ConfigureAwait(false);
                var active = alarms.Alarms.Where(a => a.Alarm != AlarmType.None).ToList();
                reading = AlarmReading.Answered(active.Count == 0 ? [] : await DescribeAsync(active, timeout.Token).ConfigureAwait(false), _time.GetUtcNow());
            }
            catch (EtcdException ex)
            {
                reading = AlarmReading.Failed($"Could not read etcd's alarms: {ex.Message}", _time.GetUtcNow());
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                reading = AlarmReading.Failed($"Could not read etcd's alarms: etcd did not answer within {QueryTimeout.TotalSeconds:0.###} s.", _time.GetUtcNow());
            }
            catch (ObjectDisposedException)
            {
                reading = AlarmReading.Failed("Could not read etcd's alarms: the source's etcd client is closed.", _time.GetUtcNow());
            }
        }

        lock (_gate)
        {
            _last = reading;
            _lastAt = _time.GetTimestamp();
            _inFlight = null;
        }

        return reading;
    }

    /// <summary>Each alarm as etcd names it, with the member's ID, name and client URLs when the member list gives them.</summary>
    private async Task<IReadOnlyList<string>> DescribeAsync(IReadOnlyList<AlarmMember> alarms, CancellationToken cancellationToken)
    {
        IReadOnlyList<Member> members;
        try
        {
            members = (await _client.Cluster.MemberListAsync(cancellationToken).ConfigureAwait(false)).Members;
        }
        catch (EtcdException)
        {
            // The alarm matters more than the member's name: the ID alone still names it.
            members = [];
        }

        return alarms.Select(alarm =>
        {
            var id = alarm.MemberId.ToString("x", CultureInfo.InvariantCulture);
            var member = members.FirstOrDefault(m => m.Id == alarm.MemberId);
            var where = member is null ? string.Empty
                : $" ({string.Join(", ", new[] { member.Name }.Concat(member.ClientUrls).Where(s => s.Length > 0))})";
            return $"{alarm.Alarm.ToString().ToUpperInvariant()} on member {id}{where}";
        }).ToArray();
    }
}
