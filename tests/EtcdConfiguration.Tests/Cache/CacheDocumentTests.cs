using System.Text;
using EtcdConfiguration.Caching;

namespace EtcdConfiguration.Tests.Cache;

/// <summary>The cache file's format: what is written reads back exactly, and any damage is detected.</summary>
public class CacheDocumentTests
{
    private static readonly DateTimeOffset WrittenAt = new(2025, 3, 4, 5, 6, 7, 890, TimeSpan.Zero);

    [Fact]
    public void ReadsBackExactlyWhatWasWritten()
    {
        KeyValuePair<string, string?>[] pairs =
        [
            new("Db:Host", "db.local"),
            new("Db:Password", "p\"ä\\ss\n<>&'"),
            new("Empty", string.Empty),
            new("Null", null),
            new(string.Empty, "root"),
            new("Emoji:😀", "\U0001F600"),
        ];

        var read = RoundTrip(new CacheDocument("/app/", "Auto", 42, WrittenAt, pairs));

        Assert.Equal("/app/", read.Prefix);
        Assert.Equal("Auto", read.ValueFormat);
        Assert.Equal(42, read.Revision);
        Assert.Equal(WrittenAt, read.WrittenAt);
        Assert.Equal(pairs.OrderBy(p => p.Key, StringComparer.Ordinal), read.Pairs);
    }

    [Fact]
    public void AnEmptyDocumentIsValid()
    {
        var read = RoundTrip(new CacheDocument("/app/", "Raw", 7, WrittenAt, []));

        Assert.Empty(read.Pairs);
        Assert.Equal(7, read.Revision);
    }

    [Fact]
    public void EveryTruncationIsRejected()
    {
        var bytes = Write(new CacheDocument("/app/", "Auto", 3, WrittenAt, [new("A", "1"), new("B", "2")]));

        for (var length = 0; length < bytes.Length; length++)
        {
            // Trailing whitespace after the closing brace is not part of the document.
            if (Encoding.UTF8.GetString(bytes, length, bytes.Length - length).Trim().Length == 0)
            {
                continue;
            }

            Assert.Throws<InvalidDataException>(() => CacheDocument.Read(new MemoryStream(bytes, 0, length)));
        }
    }

    [Theory]
    [InlineData("\"secret-1\"", "\"secret-2\"")]
    [InlineData("\"revision\": 3", "\"revision\": 4")]
    [InlineData("\"/app/\"", "\"/apq/\"")]
    [InlineData("\"Auto\"", "\"Json\"")]
    [InlineData("\"A\"", "\"C\"")]
    [InlineData("\"B\": \"secret-1\"", "\"B\": null")]
    public void AChangedFieldFailsTheChecksum(string original, string replacement)
    {
        var text = Encoding.UTF8.GetString(Write(new CacheDocument("/app/", "Auto", 3, WrittenAt, [new("A", "1"), new("B", "secret-1")])));
        Assert.Contains(original, text, StringComparison.Ordinal);

        var damaged = Encoding.UTF8.GetBytes(text.Replace(original, replacement, StringComparison.Ordinal));

        var failure = Assert.Throws<InvalidDataException>(() => CacheDocument.Read(new MemoryStream(damaged)));
        Assert.Contains("checksum", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"format\":\"something else\",\"version\":1}")]
    [InlineData("{\"format\":\"EtcdConfiguration.Cache\",\"version\":2}")]
    [InlineData("{\"format\":\"EtcdConfiguration.Cache\",\"version\":1,\"prefix\":\"/a/\"}")]
    public void ADocumentOfAnotherKindIsRejected(string json) =>
        Assert.Throws<InvalidDataException>(() => CacheDocument.Read(new MemoryStream(Encoding.UTF8.GetBytes(json))));

    [Fact]
    public void RejectionsNeverQuoteTheContent()
    {
        const string secret = "hunter2-secret";
        var text = Encoding.UTF8.GetString(Write(new CacheDocument("/app/", "Auto", 3, WrittenAt, [new("A", secret)])));
        string[] damaged =
        [
            text.Replace($"\"{secret}\"", $"{secret}", StringComparison.Ordinal),
            text.Replace($"\"{secret}\"", $"\"{secret}x\"", StringComparison.Ordinal),
            text.Replace($"\"{secret}\"", $"[\"{secret}\"]", StringComparison.Ordinal),
            text[..text.IndexOf(secret, StringComparison.Ordinal)] + secret[..4],
        ];

        foreach (var content in damaged)
        {
            var failure = Assert.Throws<InvalidDataException>(() => CacheDocument.Read(new MemoryStream(Encoding.UTF8.GetBytes(content))));
            Assert.DoesNotContain("hunt", failure.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AKeyTwiceIsRejected()
    {
        var text = Encoding.UTF8.GetString(Write(new CacheDocument("/app/", "Auto", 3, WrittenAt, [new("A", "1"), new("B", "2")])));

        var twice = text.Replace("\"B\":", "\"a\":", StringComparison.Ordinal);

        Assert.Throws<InvalidDataException>(() => CacheDocument.Read(new MemoryStream(Encoding.UTF8.GetBytes(twice))));
    }

    private static byte[] Write(CacheDocument document)
    {
        using var stream = new MemoryStream();
        document.WriteTo(stream);
        return stream.ToArray();
    }

    private static CacheDocument RoundTrip(CacheDocument document) => CacheDocument.Read(new MemoryStream(Write(document)));
}
