using System.Globalization;
using System.Net;
using System.Net.Sockets;
using EtcdConfiguration.Testing.Internal;

namespace EtcdConfiguration.Testing.Tests;

public sealed class PortTests
{
    [Fact]
    public void Member_ports_lie_below_the_ephemeral_range_and_are_not_handed_out_twice()
    {
        var ephemeralStart = int.Parse(
            File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0],
            CultureInfo.InvariantCulture);
        var first = FreePorts.Take(6);
        var second = FreePorts.Take(6);
        try
        {
            Assert.All(first.Concat(second), port => Assert.InRange(port, 1024, ephemeralStart - 1));
            Assert.Equal(12, first.Concat(second).Distinct().Count());
        }
        finally
        {
            FreePorts.Release(first);
            FreePorts.Release(second);
        }
    }

    [Fact]
    public async Task A_restart_waits_while_another_socket_holds_the_members_port()
    {
        await using var cluster = await EtcdCluster.StartAsync();
        var member = cluster.Members[0];
        await cluster.PutAsync("port/before", "kept");
        await member.KillAsync();

        Task restart;
        using (var holder = new TcpListener(IPAddress.Loopback, new Uri(member.ClientUrl).Port))
        {
            holder.Start();
            restart = member.RestartAsync();
            await Eventually.TrueAsync(
                () => member.RecentLogLines.Any(l => l.Contains("address already in use", StringComparison.Ordinal)) || restart.IsCompleted,
                "a start attempt finds the port taken");
            Assert.False(restart.IsCompleted, $"The restart ended while the port was held: {restart.Exception?.InnerException?.Message}");
        }

        await restart.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(member.IsRunning);
        Assert.Equal("kept", await cluster.GetAsync("port/before"));
    }
}
