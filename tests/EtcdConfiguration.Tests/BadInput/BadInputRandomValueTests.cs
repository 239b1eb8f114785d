using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace EtcdConfiguration.Tests.BadInput;

/// <summary>
/// Values of random bytes, at the first load and through the watch: each key either holds exactly its decoded
/// value (a value that is valid UTF-8 and does not look like JSON is the string itself) or is reported skipped,
/// keeping its last good value; nothing reaches the app as an exception and no other key is blanked.
/// </summary>
public sealed class BadInputRandomValueTests(ProviderClusterFixture fixture, ITestOutputHelper output) : IClassFixture<ProviderClusterFixture>
{
    private const int Keys = 200;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly JsonDocumentOptions s_jsonOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 64,
    };

    [Fact]
    public async Task RandomValuesDecodeExactlyOrAreReportedSkippedAndNeverBlankOtherKeys()
    {
        // BADINPUT_SEED replays a failed run.
        var seed = int.TryParse(Environment.GetEnvironmentVariable("BADINPUT_SEED"), out var given) ? given : Environment.TickCount;
        output.WriteLine($"seed {seed} (set BADINPUT_SEED={seed} to replay)");
        try
        {
            await RunAsync(seed);
        }
        catch (XunitException failure)
        {
            throw new XunitException($"With seed {seed} (set BADINPUT_SEED={seed} to replay): {failure.Message}", failure);
        }
    }

    private async Task RunAsync(int seed)
    {
        var why = $"(seed {seed})";
        var random = new Random(seed);
        var p = ProviderClusterFixture.NewPrefix();
        var kv = fixture.Client.KV;
        await kv.PutAsync(p + "Good", "fine");

        // The first load: every key holds its decoded value or is skipped.
        var first = Enumerable.Range(0, Keys).Select(_ => RandomValue(random)).ToArray();
        for (var i = 0; i < Keys; i++)
        {
            await kv.PutAsync(Key(p, "K", i), first[i]);
        }

        var failures = new ConcurrentQueue<EtcdLoadExceptionContext>();
        using var root = fixture.Build(p, source => source.OnLoadException = failures.Enqueue);
        var provider = ConfigurationView.Provider(root);
        using var reloads = new ReloadRecorder(root, probeKey: "Good");
        var expected = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var skipped = new SortedSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Keys; i++)
        {
            Expect(p, "K", i, first[i], expected, skipped);
        }

        AssertSees(root, p, expected, skipped, Keys + 1, why + " at the first load");
        Assert.Equal(skipped, failures.Select(f => f.Key!).Order(StringComparer.Ordinal));
        output.WriteLine($"seed {seed}: first load {Keys - skipped.Count} decoded, {skipped.Count} skipped");

        // Through the watch: every loaded key gets a new random value, and as many new keys arrive.
        failures.Clear();
        var reported = new SortedSet<string>(StringComparer.Ordinal);
        var second = Enumerable.Range(0, Keys).Select(_ => RandomValue(random)).ToArray();
        var fresh = Enumerable.Range(0, Keys).Select(_ => RandomValue(random)).ToArray();
        for (var i = 0; i < Keys; i++)
        {
            await kv.PutAsync(Key(p, "K", i), second[i]);
            Expect(p, "K", i, second[i], expected, skipped);
            await kv.PutAsync(Key(p, "W", i), fresh[i]);
            Expect(p, "W", i, fresh[i], expected, skipped);
            if (!Decodes(second[i]))
            {
                reported.Add(p + $"K{i:D3}");
            }

            if (!Decodes(fresh[i]))
            {
                reported.Add(p + $"W{i:D3}");
            }
        }

        await Marker.WriteAndAwaitAsync(root, "Marker", "m", () => kv.PutAsync(p + "Marker", "m"));
        expected["Marker"] = "m"u8.ToArray();
        AssertSees(root, p, expected, skipped, (2 * Keys) + 2, why + " after the watch");
        Assert.Equal(reported, failures.Select(f => f.Key!).Distinct().Order(StringComparer.Ordinal));
        output.WriteLine($"seed {seed}: after the watch {expected.Count - 2} decoded, {skipped.Count} skipped, {reloads.Count} reloads");

        Assert.NotEqual(0, reloads.Count);
        Assert.All(reloads.Probes, probe => Assert.Equal("fine", probe));
        var (count, revision) = await ConfigurationView.EtcdCountAsync(fixture.Client, p);
        Assert.Equal((2 * Keys) + 2, count);
        Assert.Equal(revision, provider.Revision);

        // A fresh load of the same etcd data gives the same configuration, less the last good values kept for keys
        // that are bad now (a fresh load never saw them).
        using var again = fixture.Build(p);
        var withoutKept = ConfigurationView.Values(root);
        foreach (var key in skipped)
        {
            withoutKept.Remove(key[p.Length..]);
        }

        Assert.Equal(withoutKept, ConfigurationView.Values(again));
        Assert.Equal(skipped, ConfigurationView.Provider(again).Status.SkippedKeys);
    }

    /// <summary>
    /// Random bytes of a random length up to 4,096, mostly not UTF-8; some random valid text (any code point,
    /// controls and NUL included), some starting like JSON, some very short (which are often valid).
    /// </summary>
    private static byte[] RandomValue(Random random)
    {
        // A random value that happens to be valid JSON (such as "[]") is drawn again: its flattening is not this
        // test's subject.
        byte[] value;
        do
        {
            value = DrawValue(random);
        }
        while (IsJson(value));
        return value;
    }

    private static byte[] DrawValue(Random random)
    {
        switch (random.Next(4))
        {
            case 0:
                return RandomBytes(random, random.Next(4097));
            case 1:
                return RandomText(random, random.Next(1025));
            case 2:
                return [(byte)(random.Next(2) == 0 ? '{' : '['), .. RandomBytes(random, random.Next(4096))];
            default:
                return RandomBytes(random, random.Next(5));
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] RandomText(Random random, int codePoints)
    {
        var text = new StringBuilder();
        for (var i = 0; i < codePoints; i++)
        {
            int scalar;
            do
            {
                scalar = random.Next(4) switch
                {
                    0 => random.Next(0x80),
                    1 => random.Next(0x800),
                    2 => random.Next(0x10000),
                    _ => random.Next(0x110000),
                };
            }
            while (scalar is >= 0xD800 and <= 0xDFFF);
            text.Append(char.ConvertFromUtf32(scalar));
        }

        return s_strictUtf8.GetBytes(text.ToString());
    }

    /// <summary>
    /// The README's rule, written independently of the product: a value that is not UTF-8, or looks like JSON
    /// (first non-blank character '{' or '[') and does not parse, is skipped; any other value is the string itself.
    /// The generator never makes valid JSON, so every value that looks like JSON is skipped.
    /// </summary>
    private static void Expect(string prefix, string name, int index, byte[] value, Dictionary<string, byte[]> expected, SortedSet<string> skipped)
    {
        var configKey = $"{name}{index:D3}";
        if (Decodes(value))
        {
            expected[configKey] = value;
            skipped.Remove(prefix + configKey);
        }
        else
        {
            // The key keeps its last good value, if it had one.
            skipped.Add(prefix + configKey);
        }
    }

    private static bool Decodes(byte[] value)
    {
        string text;
        try
        {
            text = s_strictUtf8.GetString(value);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        // One leading byte order mark is skipped before looking for the first non-blank character.
        var body = (text.StartsWith('\uFEFF') ? text[1..] : text).TrimStart(' ', '\t', '\r', '\n');
        return body.Length == 0 || body[0] is not ('{' or '[');
    }

    private static bool IsJson(byte[] value)
    {
        try
        {
            using var document = JsonDocument.Parse(value.AsMemory(), s_jsonOptions);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void AssertSees(IConfigurationRoot root, string prefix, Dictionary<string, byte[]> expected, SortedSet<string> skipped, int etcdKeys, string when)
    {
        var provider = ConfigurationView.Provider(root);
        var seen = ConfigurationView.Values(root);
        Assert.True(seen.Remove("Good", out var good) && good == "fine", $"Good keeps its value {when}");
        foreach (var (key, value) in expected.Where(e => e.Key != "Good"))
        {
            Assert.True(seen.TryGetValue(key, out var actual), $"{key} is in the configuration {when}");
            Assert.True(value.AsSpan().SequenceEqual(s_strictUtf8.GetBytes(actual)), $"{key} holds exactly its value {when}");
        }

        Assert.Equal(expected.Keys.Where(k => k != "Good").Order(StringComparer.Ordinal), seen.Keys);
        Assert.Equal(skipped, provider.Status.SkippedKeys);
        Assert.Equal(expected.Count + 1, provider.Status.KeyCount);

        // Every key etcd holds is either seen or skipped-without-a-last-good-value or skipped-keeping-one.
        var keptAfterSkip = skipped.Count(k => expected.ContainsKey(k[prefix.Length..]));
        Assert.True(
            etcdKeys == 1 + expected.Count + skipped.Count - keptAfterSkip,
            $"etcd holds {etcdKeys} keys; the app sees Good and {expected.Count} more and skips {skipped.Count} ({keptAfterSkip} keeping a last good value) {when}");
    }

    private static byte[] Key(string prefix, string name, int index) => Encoding.UTF8.GetBytes($"{prefix}{name}{index:D3}");
}
