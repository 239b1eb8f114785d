using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// Measures the memory one configuration retains in a child process of its own, so nothing the benchmark did
/// before (pools, half-closed connections, earlier results) can enter the figure. The child builds the
/// configuration once and releases it (one-time statics and pools warm up), then reads the managed heap after
/// a full collection before and after building it again, holding it alive.
/// </summary>
internal static class RetainedMemoryProbe
{
    public const string Flag = "--retained-memory-child";

    public const string Provider = "provider";
    public const string JsonFile = "json";
    public const string Peer = "peer";

    /// <summary>Runs the child for <paramref name="variant"/> and returns the bytes it retained.</summary>
    public static async Task<long> MeasureAsync(string variant, string location)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark cannot find its own executable.");
        var info = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.ArgumentList.Add(typeof(RetainedMemoryProbe).Assembly.Location);
        }

        info.ArgumentList.Add(Flag);
        info.ArgumentList.Add(variant);
        info.ArgumentList.Add(location);
        using var child = Process.Start(info) ?? throw new InvalidOperationException("Could not start the memory probe.");
        var output = child.StandardOutput.ReadToEndAsync();
        var errors = child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync();
        var text = (await output).Trim();
        if (child.ExitCode != 0 || !long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var bytes))
        {
            throw new InvalidOperationException($"The memory probe for {variant} failed (exit code {child.ExitCode}): {text} {await errors}");
        }

        return bytes;
    }

    /// <summary>The child: <c>provider endpoint|prefix</c>, <c>json file</c> or <c>peer endpoint|prefix</c>.</summary>
    public static async Task<int> RunChildAsync(string[] args)
    {
        var (variant, location) = (args[1], args[2]);
        Func<Task<object>> build = variant switch
        {
            Provider => () => Task.FromResult<object>(new ConfigurationBuilder().AddEtcd(location.Split('|')[0], location.Split('|')[1]).Build()),
            JsonFile => () => Task.FromResult<object>(new ConfigurationBuilder().AddJsonFile(location, optional: false, reloadOnChange: false).Build()),
            Peer => () => PeerDictionaryAsync(location.Split('|')[0], location.Split('|')[1]),
            _ => throw new ArgumentException($"Unknown variant '{variant}'.", nameof(args)),
        };

        Owned.Release(await build());
        await Task.Delay(200);
        Meter.Settle();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var built = await build();
        // Let background start-up (the provider's watch) finish, so its steady state is what is counted.
        await Task.Delay(500);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(built);
        Console.WriteLine((after - before).ToString(CultureInfo.InvariantCulture));
        Owned.Release(built);
        return 0;
    }

    /// <summary>dotnet-etcd by hand: the ranged get, the flattened dictionary kept, the client closed.</summary>
    private static async Task<object> PeerDictionaryAsync(string endpoint, string prefix)
    {
        using var peer = new dotnet_etcd.EtcdClient(endpoint, configureChannelOptions: options =>
        {
            options.Credentials = Grpc.Core.ChannelCredentials.Insecure;
            options.MaxReceiveMessageSize = null;
        });
        var response = await peer.GetRangeAsync(prefix);
        var prefixLength = Encoding.UTF8.GetByteCount(prefix);
        var result = HandFlattener.NewData();
        foreach (var kv in response.Kvs)
        {
            HandFlattener.Add(result, prefixLength, kv.Key.Span, kv.Value.Memory);
        }

        return result;
    }
}
