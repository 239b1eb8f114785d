using System.Security.Cryptography;
using System.Text;
using EtcdConfiguration.Client;
using Microsoft.Extensions.Configuration;
using Xunit.Abstractions;

namespace EtcdConfiguration.Tests.BadInput;

/// <summary>
/// A value as large as etcd accepts (its default <c>--max-request-bytes</c> is 1.5 MiB for the whole request) is
/// loaded and received by the watch byte-exactly; a larger one is refused by etcd with a typed exception, and the
/// app's configuration is unchanged.
/// </summary>
public sealed class BadInputValueSizeTests(ProviderClusterFixture fixture, ITestOutputHelper output) : IClassFixture<ProviderClusterFixture>
{
    /// <summary>etcd's default <c>--max-request-bytes</c>: 1.5 MiB.</summary>
    private const int MaxRequestBytes = 1_572_864;

    [Fact]
    public async Task TheLargestValueEtcdAcceptsLoadsAndArrivesByWatchExactlyAndALargerOneChangesNothing()
    {
        var p = ProviderClusterFixture.NewPrefix();
        var key = p + "Big";
        var kv = fixture.Client.KV;

        // The largest value etcd accepts at this key: the request (key, value and its framing) must fit in 1.5 MiB.
        var accepted = MaxRequestBytes - 64 * 1024;
        var refused = MaxRequestBytes;
        Assert.True(await TryPutAsync(key, Text(accepted, 'a')), $"etcd accepts a value of {accepted} bytes");
        Assert.False(await TryPutAsync(key, Text(refused, 'a')), $"etcd refuses a value of {refused} bytes");
        while (refused - accepted > 1)
        {
            var size = accepted + ((refused - accepted) / 2);
            if (await TryPutAsync(key, Text(size, 'a')))
            {
                accepted = size;
            }
            else
            {
                refused = size;
            }
        }

        var overhead = MaxRequestBytes - accepted - Encoding.UTF8.GetByteCount(key);
        output.WriteLine($"largest value etcd accepts at a {Encoding.UTF8.GetByteCount(key)}-byte key: {accepted} bytes ({overhead} bytes of request framing)");

        var first = Text(accepted, 'x');
        await kv.PutAsync(Encoding.UTF8.GetBytes(key), first);
        await kv.PutAsync(p + "Good", "fine");
        using var root = fixture.Build(p);
        var provider = ConfigurationView.Provider(root);
        AssertHolds(root, first, "at the first load");

        var second = Text(accepted, 'y');
        await kv.PutAsync(Encoding.UTF8.GetBytes(key), second);
        await Eventually.TrueAsync(() => root["Big"]?.Length == accepted && root["Big"]![0] != first[0], "the second value arrives through the watch");
        AssertHolds(root, second, "after the watch");

        // One byte more is refused by etcd, with a typed exception that does not carry the value.
        var tooLarge = await Assert.ThrowsAsync<EtcdInvalidArgumentException>(() => kv.PutAsync(Encoding.UTF8.GetBytes(key), Text(accepted + 1, 'z')));
        Assert.Contains("request is too large", tooLarge.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("zzzzzzzz", tooLarge.Message, StringComparison.Ordinal);
        output.WriteLine($"{accepted + 1} bytes: {tooLarge.GetType().Name}: {tooLarge.Message}");

        // Far more than etcd's gRPC server reads (1.5 MiB + 512 KiB) is refused too, with an EtcdException.
        var farTooLarge = await Assert.ThrowsAnyAsync<EtcdException>(() => kv.PutAsync(Encoding.UTF8.GetBytes(key), Text(3 * 1024 * 1024, 'z')));
        Assert.DoesNotContain("zzzzzzzz", farTooLarge.Message, StringComparison.Ordinal);
        output.WriteLine($"3 MiB: {farTooLarge.GetType().Name} ({farTooLarge.StatusCode}): {farTooLarge.Message}");

        await Marker.WriteAndAwaitAsync(root, "Marker", "m", () => kv.PutAsync(p + "Marker", "m"));
        AssertHolds(root, second, "after the refused puts");
        var (count, revision) = await ConfigurationView.EtcdCountAsync(fixture.Client, p);
        Assert.Equal(3, count);
        Assert.Equal(revision, provider.Revision);
        Assert.Equal(3, provider.Status.KeyCount);
        Assert.Empty(provider.Status.SkippedKeys);
    }

    private async Task<bool> TryPutAsync(string key, byte[] value)
    {
        try
        {
            await fixture.Client.KV.PutAsync(Encoding.UTF8.GetBytes(key), value);
            return true;
        }
        catch (EtcdInvalidArgumentException ex) when (ex.Message.Contains("request is too large", StringComparison.Ordinal))
        {
            return false;
        }
    }

    /// <summary>ASCII text of <paramref name="length"/> bytes, starting with <paramref name="first"/> and varied after it.</summary>
    private static byte[] Text(int length, char first)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)('a' + (i * 7 % 26));
        }

        if (length > 0)
        {
            bytes[0] = (byte)first;
        }

        return bytes;
    }

    private static void AssertHolds(ConfigurationRoot root, byte[] value, string when)
    {
        var held = root["Big"];
        Assert.True(held is not null, $"Big has a value {when}");
        var bytes = Encoding.UTF8.GetBytes(held);
        Assert.True(bytes.Length == value.Length, $"Big holds {bytes.Length} bytes, etcd {value.Length}, {when}");
        Assert.True(SHA256.HashData(bytes).AsSpan().SequenceEqual(SHA256.HashData(value)), $"Big holds etcd's bytes exactly {when}");
        Assert.Equal("fine", root["Good"]);
    }
}
