using System.Net;
using BackOffice.Web.Operations;
using Microsoft.Extensions.Configuration;

namespace BackOffice.Tests.Operations;

/// <summary>Who may scrape /metrics, as a pure function of the peer's address and Metrics:AllowedNetworks.</summary>
public sealed class MetricsAccessTests
{
    private static readonly IReadOnlyList<IPNetwork> Networks = MetricsAccess.ParseNetworks(["10.0.0.0/8", "192.168.1.0/24", "fd00::/8", "172.16.5.9"]);

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.255.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("::ffff:10.1.2.3", true)]
    [InlineData("192.168.1.200", true)]
    [InlineData("fd12:3456::1", true)]
    [InlineData("172.16.5.9", true)]
    [InlineData("172.16.5.10", false)]
    [InlineData("192.168.2.1", false)]
    [InlineData("11.0.0.1", false)]
    [InlineData("8.8.8.8", false)]
    [InlineData("fe80::1", false)]
    [InlineData("0.0.0.0", false)]
    public void Loopback_and_addresses_inside_an_allowed_network_are_allowed(string address, bool allowed) =>
        MetricsAccess.IsAllowed(IPAddress.Parse(address), Networks).ShouldBe(allowed, address);

    [Fact]
    public void An_unknown_peer_is_refused() => MetricsAccess.IsAllowed(null, Networks).ShouldBeFalse();

    [Fact]
    public void With_no_networks_configured_only_loopback_is_allowed()
    {
        MetricsAccess.IsAllowed(IPAddress.Loopback, []).ShouldBeTrue();
        MetricsAccess.IsAllowed(IPAddress.Parse("10.0.0.1"), []).ShouldBeFalse();
    }

    [Fact]
    public void Networks_come_from_a_list_or_one_separated_string()
    {
        var list = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Metrics:AllowedNetworks:0"] = "10.0.0.0/8",
            ["Metrics:AllowedNetworks:1"] = "192.168.0.0/16",
        }).Build().GetSection("Metrics:AllowedNetworks");
        MetricsAccess.ParseNetworks(list).Select(n => n.ToString()).ShouldBe(["10.0.0.0/8", "192.168.0.0/16"]);

        var text = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Metrics:AllowedNetworks"] = "10.0.0.0/8, 192.168.0.0/16;fd00::/8",
        }).Build().GetSection("Metrics:AllowedNetworks");
        MetricsAccess.ParseNetworks(text).Select(n => n.ToString()).ShouldBe(["10.0.0.0/8", "192.168.0.0/16", "fd00::/8"]);

        MetricsAccess.ParseNetworks(new ConfigurationBuilder().Build().GetSection("Metrics:AllowedNetworks")).ShouldBeEmpty();
    }

    [Fact]
    public void An_address_with_its_prefix_names_its_network()
    {
        var network = MetricsAccess.ParseNetwork("10.1.2.3/8");
        network.Contains(IPAddress.Parse("10.200.0.1")).ShouldBeTrue();
        network.Contains(IPAddress.Parse("11.0.0.1")).ShouldBeFalse();
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("ten.zero/8")]
    [InlineData("10.0.0.0/")]
    public void A_malformed_network_fails_with_the_key_and_the_value(string text) =>
        Should.Throw<InvalidOperationException>(() => MetricsAccess.ParseNetwork(text)).Message.ShouldContain($"Metrics:AllowedNetworks: '{text}'");
}
