using System.Text;
using EtcdConfiguration.Mapping;

namespace EtcdConfiguration.Tests;

public sealed class KeyMapperTests
{
    [Theory]
    [InlineData("/myapp", "/myapp/")]
    [InlineData("/myapp/", "/myapp/")]
    [InlineData("/", "/")]
    [InlineData("myapp", "myapp/")]
    [InlineData("/a//", "/a//")]
    public void Prefix_is_a_directory(string prefix, string normalised)
    {
        var mapper = new KeyMapper(prefix);

        Assert.Equal(normalised, mapper.Prefix);
        Assert.Equal(Encoding.UTF8.GetBytes(normalised), mapper.PrefixBytes.ToArray());
    }

    [Fact]
    public void Range_end_is_the_first_key_after_every_key_under_the_prefix()
    {
        var mapper = new KeyMapper("/myapp");

        Assert.Equal("/myapp0"u8.ToArray(), mapper.RangeEnd.ToArray());
    }

    [Fact]
    public void Empty_or_invalid_prefix_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new KeyMapper(""));
        Assert.Throws<ArgumentNullException>(() => new KeyMapper(null!));
        Assert.Throws<ArgumentException>(() => new KeyMapper("/bad\ud800"));
    }

    [Theory]
    [InlineData("/myapp/Db/Host", "Db:Host", 2)]
    [InlineData("/myapp/Name", "Name", 1)]
    [InlineData("/myapp/a//b", "a:b", 2)]
    [InlineData("/myapp//a/b/", "a:b", 2)]
    [InlineData("/myapp/a/b///", "a:b", 2)]
    [InlineData("/myapp/Db:Host", "Db:Host", 2)]
    [InlineData("/myapp/a:b/c", "a:b:c", 3)]
    [InlineData("/myapp/a::b", "a::b", 3)]
    [InlineData("/myapp/", "", 0)]
    [InlineData("/myapp///", "", 0)]
    [InlineData("/myapp/Grüße/日本 語/ sp ace ", "Grüße:日本 語: sp ace ", 3)]
    [InlineData("/myapp/😀/x", "😀:x", 2)]
    public void Maps_keys_under_the_prefix(string etcdKey, string path, int segments)
    {
        foreach (string prefix in new[] { "/myapp", "/myapp/" })
        {
            var mapper = new KeyMapper(prefix);

            Assert.True(mapper.TryMap(Encoding.UTF8.GetBytes(etcdKey), out string mapped, out int count, out _, out var error));
            Assert.Equal(path, mapped);
            Assert.Equal(segments, count);
            Assert.Equal(KeyMapError.None, error);
        }
    }

    [Theory]
    [InlineData("/myapp/.overrides/Db", true)]
    [InlineData("/myapp/Db/Host", false)]
    [InlineData("/myapp/.overridesX/Db", false)]
    [InlineData("/myapp/x/.overrides/Db", false)]
    [InlineData("/myapp/.Overrides/Db", false)]
    public void Only_the_first_segment_dot_overrides_is_reserved(string etcdKey, bool isOverride)
    {
        var mapper = new KeyMapper("/myapp");

        Assert.True(mapper.TryMap(Encoding.UTF8.GetBytes(etcdKey), out _, out _, out bool mappedOverride, out _));
        Assert.Equal(isOverride, mappedOverride);
    }

    [Theory]
    [InlineData("/myapp/.overrides/Checkout/MaxItems", "Checkout:MaxItems", 2)]
    [InlineData("/myapp/.overrides/Beta", "Beta", 1)]
    [InlineData("/myapp/.overrides//a//b/", "a:b", 2)]
    [InlineData("/myapp/.overrides/a:b", "a:b", 2)]
    [InlineData("/myapp/.overrides/.overrides/x", ".overrides:x", 2)]
    [InlineData("/myapp/.overrides/", "", 0)]
    [InlineData("/myapp/.overrides", "", 0)]
    public void An_override_key_maps_to_the_configuration_key_it_overrides(string etcdKey, string path, int segments)
    {
        var mapper = new KeyMapper("/myapp/");

        Assert.True(mapper.TryMap(Encoding.UTF8.GetBytes(etcdKey), out string mapped, out int count, out bool isOverride, out var error));
        Assert.True(isOverride);
        Assert.Equal(path, mapped);
        Assert.Equal(segments, count);
        Assert.Equal(KeyMapError.None, error);
    }

    [Theory]
    [InlineData("/myappspam")]
    [InlineData("/myappspam/x")]
    [InlineData("/myapp")]
    [InlineData("/other/x")]
    [InlineData("")]
    [InlineData("/MYAPP/x")]
    public void Keys_outside_the_prefix_are_not_mapped(string etcdKey)
    {
        var mapper = new KeyMapper("/myapp");

        Assert.False(mapper.TryMap(Encoding.UTF8.GetBytes(etcdKey), out _, out _, out _, out var error));
        Assert.Equal(KeyMapError.OutsidePrefix, error);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { (byte)'a', 0xC3 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0xC0, 0xAF })]
    public void Invalid_utf8_after_the_prefix_is_an_error(byte[] rest)
    {
        var mapper = new KeyMapper("/myapp/");
        byte[] key = [.. "/myapp/"u8, .. rest];

        Assert.False(mapper.TryMap(key, out _, out _, out _, out var error));
        Assert.Equal(KeyMapError.InvalidUtf8, error);
    }

    [Fact]
    public void Long_keys_are_mapped()
    {
        var mapper = new KeyMapper("/p");
        string segment = new('x', 300);
        string etcdKey = "/p/" + segment + "//" + segment + "/";

        Assert.True(mapper.TryMap(Encoding.UTF8.GetBytes(etcdKey), out string path, out int count, out _, out _));
        Assert.Equal(segment + ":" + segment, path);
        Assert.Equal(2, count);
    }

    [Fact]
    public void Describe_shows_invalid_bytes_as_escapes()
    {
        Assert.Equal("/myapp/ok", KeyMapper.Describe("/myapp/ok"u8));
        Assert.Equal(@"/myapp/a\xFFb\xC3", KeyMapper.Describe([.. "/myapp/a"u8, 0xFF, (byte)'b', 0xC3]));
    }
}
