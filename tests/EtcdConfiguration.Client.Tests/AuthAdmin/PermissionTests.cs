namespace EtcdConfiguration.Client.Tests.AuthAdmin;

/// <summary>How a <see cref="Permission"/> turns a key, prefix or range into etcd's key and range end.</summary>
public sealed class PermissionTests
{
    [Fact]
    public void A_prefix_ends_where_the_prefix_with_its_last_byte_incremented_begins()
    {
        var permission = Permission.ForPrefix(PermissionType.Read, "/app/");

        Assert.Equal("/app/", permission.Key);
        Assert.Equal("/app0", permission.RangeEnd);
        Assert.Equal("Read [/app/, /app0)", permission.ToString());
    }

    [Fact]
    public void The_empty_prefix_is_every_key_as_etcd_spells_it()
    {
        var permission = Permission.ForPrefix(PermissionType.ReadWrite, string.Empty);

        Assert.Equal(new byte[] { 0 }, permission.KeyBytes.ToArray());
        Assert.Equal(new byte[] { 0 }, permission.RangeEndBytes.ToArray());
    }

    [Fact]
    public void A_single_key_has_no_range_end_and_an_empty_key_is_refused()
    {
        var permission = Permission.ForKey(PermissionType.Write, "/single");

        Assert.True(permission.RangeEndBytes.IsEmpty);
        Assert.Equal("Write /single", permission.ToString());
        Assert.Throws<ArgumentException>(() => Permission.ForKey(PermissionType.Write, string.Empty));
        Assert.Throws<ArgumentException>(() => Permission.ForRange(PermissionType.Read, "/a", string.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => Permission.ForKey((PermissionType)7, "/a"));
    }

    [Fact]
    public void Permissions_are_equal_when_type_key_and_range_end_are()
    {
        var bytes = Permission.ForRange(PermissionType.Read, "/a"u8.ToArray(), "/c"u8.ToArray());

        Assert.Equal(Permission.ForRange(PermissionType.Read, "/a", "/c"), bytes);
        Assert.Equal(Permission.ForRange(PermissionType.Read, "/a", "/c").GetHashCode(), bytes.GetHashCode());
        Assert.NotEqual(Permission.ForRange(PermissionType.Write, "/a", "/c"), bytes);
        Assert.NotEqual(Permission.ForRange(PermissionType.Read, "/a", "/d"), bytes);
    }
}
