using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace EtcdConfiguration.Tests.Health;

/// <summary>
/// Listens to the "EtcdConfiguration" meter and keeps the measurements tagged with one prefix (tests run in
/// parallel, and every test uses its own prefix). Counters are summed per instrument, loads also per outcome.
/// </summary>
internal sealed class MetricsRecorder : IDisposable
{
    private readonly string _prefix;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, double> _sums = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, double> _last = new(StringComparer.Ordinal);

    public MetricsRecorder(string prefix)
    {
        _prefix = prefix;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "EtcdConfiguration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Record(i, value, tags));
        _listener.SetMeasurementEventCallback<int>((i, value, tags, _) => Record(i, value, tags));
        _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Record(i, value, tags));
        _listener.Start();
    }

    /// <summary>The sum of a counter's measurements (for loads, name it <c>etcd_configuration.loads/success</c> and so on).</summary>
    public long Sum(string name) => (long)_sums.GetValueOrDefault(name);

    /// <summary>How many measurements an instrument recorded (for histograms).</summary>
    public int Count(string name) => _counts.GetValueOrDefault(name);

    /// <summary>The gauge's value now.</summary>
    public double? Observe(string name)
    {
        _last.TryRemove(name, out _);
        _listener.RecordObservableInstruments();
        return _last.TryGetValue(name, out var value) ? value : null;
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? prefix = null;
        string? outcome = null;
        foreach (var tag in tags)
        {
            if (tag.Key == "prefix")
            {
                prefix = tag.Value as string;
            }
            else if (tag.Key == "outcome")
            {
                outcome = tag.Value as string;
            }
        }

        if (prefix != _prefix)
        {
            return;
        }

        var name = outcome is null ? instrument.Name : $"{instrument.Name}/{outcome}";
        _sums.AddOrUpdate(name, value, (_, sum) => sum + value);
        _counts.AddOrUpdate(name, 1, (_, count) => count + 1);
        _last[name] = value;
    }
}
