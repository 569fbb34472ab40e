package io.kychub.providers.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IpAllowListTest {

  @Test
  void prefixBoundaryIsExact() {
    assertThat(IpAllowList.allows(List.of("192.168.1.0/25"), "192.168.1.127")).isTrue();
    assertThat(IpAllowList.allows(List.of("192.168.1.0/25"), "192.168.1.128")).isFalse();
  }

  @Test
  void bareAddressMatchesOnlyItself() {
    assertThat(IpAllowList.allows(List.of("20.76.229.117"), "20.76.229.117")).isTrue();
    assertThat(IpAllowList.allows(List.of("20.76.229.117"), "20.76.229.118")).isFalse();
    assertThat(IpAllowList.allows(List.of("2001:db8::1"), "2001:db8:0:0:0:0:0:1")).isTrue();
  }

  @Test
  void zeroPrefixMatchesEveryAddressOfItsFamilyOnly() {
    assertThat(IpAllowList.allows(List.of("0.0.0.0/0"), "8.8.8.8")).isTrue();
    assertThat(IpAllowList.allows(List.of("0.0.0.0/0"), "2001:db8::1")).isFalse();
    assertThat(IpAllowList.allows(List.of("::/0"), "2001:db8::1")).isTrue();
  }

  @Test
  void ipv4MappedIpv6PeerMatchesIpv4Cidr() {
    assertThat(IpAllowList.allows(List.of("10.0.0.0/8"), "::ffff:10.1.2.3")).isTrue();
  }

  @Test
  void bracketedAndZonedIpv6PeersAreRead() {
    assertThat(IpAllowList.allows(List.of("fe80::/10"), "[fe80::1]")).isTrue();
    assertThat(IpAllowList.allows(List.of("fe80::/10"), "fe80::1%eth0")).isTrue();
  }

  @Test
  void malformedEntriesMatchNothingAndNeverThrow() {
    List<String> junk = java.util.Arrays.asList(null, "", "/", "10.0.0.0/x", "10.0.0.0/8/8", "300.1.1.1", "1.2.3",
        "example.com", "localhost", "::g", "10.0.0.0/-1", "2001:db8::/129");
    assertThat(IpAllowList.allows(junk, "10.0.0.1")).isFalse();
    assertThat(IpAllowList.allows(junk, "127.0.0.1")).isFalse();
    assertThat(IpAllowList.allows(junk, "2001:db8::1")).isFalse();
  }

  @Test
  void hostnamesAsPeerAreNeverResolved() {
    assertThat(IpAllowList.allows(List.of("127.0.0.0/8"), "localhost")).isFalse();
    assertThat(IpAllowList.literal("localhost")).isNull();
  }
}
