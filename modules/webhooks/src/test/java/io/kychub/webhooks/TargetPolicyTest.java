package io.kychub.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetPolicyTest {

  private final TargetPolicy strict = new TargetPolicy(false);
  private final TargetPolicy open = new TargetPolicy(true);

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  @Test
  void onlyHttpsUnlessPrivateTargetsAreAllowed() {
    assertThat(strict.checkUrl("https://hooks.example.com/kyc")).isEmpty();
    assertThat(strict.checkUrl("http://hooks.example.com/kyc")).contains("url must be https");
    assertThat(open.checkUrl("http://127.0.0.1:9000/kyc")).isEmpty();
    assertThat(strict.checkUrl("ftp://hooks.example.com")).isPresent();
    assertThat(strict.checkUrl("https://user:pw@hooks.example.com")).isPresent();
    assertThat(strict.checkUrl("not a url")).isPresent();
    assertThat(strict.checkUrl("/relative")).isPresent();
  }

  @Test
  void loopbackPrivateLinkLocalAndMetadataAddressesAreRefused() throws Exception {
    for (String refused : List.of("127.0.0.1", "127.8.9.10", "10.0.0.1", "172.16.5.4", "172.31.255.255", "192.168.1.1",
        "169.254.169.254", "169.254.0.1", "0.0.0.0", "100.64.0.1", "224.0.0.1", "255.255.255.255", "::1", "fe80::1",
        "fc00::1", "fd12:3456::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1", "64:ff9b::a9fe:a9fe", "::")) {
      assertThat(strict.checkAddresses("h", List.of(ip(refused)))).as(refused).isPresent();
      assertThat(open.checkAddresses("h", List.of(ip(refused)))).as(refused + " allowed when private targets are").isEmpty();
    }
  }

  @Test
  void publicAddressesAreAllowedAndOnePrivateAmongThemIsNot() throws Exception {
    for (String allowed : List.of("93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "::ffff:93.184.216.34")) {
      assertThat(strict.checkAddresses("h", List.of(ip(allowed)))).as(allowed).isEmpty();
    }
    assertThat(strict.checkAddresses("h", List.of(ip("93.184.216.34"), ip("10.1.2.3")))).isPresent();
    assertThat(strict.checkAddresses("h", List.of())).contains("the host h does not resolve");
  }
}
