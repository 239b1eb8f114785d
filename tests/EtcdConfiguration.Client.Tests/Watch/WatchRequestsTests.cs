using EtcdConfiguration.Client.Internal;
using EtcdConfiguration.Client.Internal.Watching;
using Google.Protobuf;

namespace EtcdConfiguration.Client.Tests.Watch;

public sealed class WatchRequestsTests
{
    [Fact]
    public void One_key_has_no_range_end_and_asks_for_fragments()
    {
        var request = WatchRequests.Create("a/b"u8.ToArray(), null);

        Assert.Equal("a/b", request.Key.ToStringUtf8());
        Assert.True(request.RangeEnd.IsEmpty);
        Assert.Equal(0, request.StartRevision);
        Assert.True(request.Fragment);
        Assert.Empty(request.Filters);
        Assert.Equal("'a/b'", WatchRequests.Describe(request));
    }

    [Fact]
    public void A_prefix_ends_at_the_prefix_with_its_last_byte_incremented()
    {
        var request = WatchRequests.Create("app/"u8.ToArray(), new WatchOptions { Prefix = true });

        Assert.Equal("app0", request.RangeEnd.ToStringUtf8());
        Assert.Equal("prefix 'app/'", WatchRequests.Describe(request));
    }

    [Fact]
    public void The_empty_prefix_watches_every_key()
    {
        var request = WatchRequests.Create(ReadOnlyMemory<byte>.Empty, new WatchOptions { Prefix = true });

        Assert.Equal(ByteString.CopyFrom(0), request.Key);
        Assert.Equal(ByteString.CopyFrom(0), request.RangeEnd);
    }

    [Fact]
    public void FromKey_ends_at_the_end_of_the_keyspace()
    {
        var request = WatchRequests.Create("m"u8.ToArray(), new WatchOptions { FromKey = true });

        Assert.Equal("m", request.Key.ToStringUtf8());
        Assert.Equal(ByteString.CopyFrom(0), request.RangeEnd);
        Assert.Equal("every key from 'm'", WatchRequests.Describe(request));
    }

    [Fact]
    public void Range_ends_filters_revision_and_extras_are_passed_on()
    {
        var request = WatchRequests.Create("a"u8.ToArray(), new WatchOptions
        {
            RangeEndBytes = "c"u8.ToArray(),
            StartRevision = 42,
            PrevKv = true,
            ProgressNotify = true,
            NoPut = true,
            NoDelete = true,
        });

        Assert.Equal("c", request.RangeEnd.ToStringUtf8());
        Assert.Equal(42, request.StartRevision);
        Assert.True(request.PrevKv);
        Assert.True(request.ProgressNotify);
        Assert.Equal([Wire.WatchCreateRequest.Types.FilterType.Noput, Wire.WatchCreateRequest.Types.FilterType.Nodelete], request.Filters);
        Assert.Equal("range ['a', 'c')", WatchRequests.Describe(request));
    }

    [Theory]
    [InlineData(true, true, null)]
    [InlineData(true, false, "z")]
    [InlineData(false, true, "z")]
    public void More_than_one_range_option_is_refused(bool prefix, bool fromKey, string? rangeEnd)
    {
        var options = new WatchOptions { Prefix = prefix, FromKey = fromKey, RangeEnd = rangeEnd };

        Assert.Throws<ArgumentException>(() => WatchRequests.Create("a"u8.ToArray(), options));
    }
}
