package io.kychub.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.model.ConfigException;
import org.junit.jupiter.api.Test;

/** A Unix socket database address is refused at start, with the reason, when the node has no native transport. */
class TransportCheckTest {

  private static final String SOCKET = "postgresql://kyc@/kyc?host=/var/run/postgresql";
  private static final String TCP = "postgresql://kyc@db.internal:5432/kyc";

  @Test
  void aSocketAddressNeedsTheNativeTransport() {
    var refused = HubNode.checkTransport(false, SOCKET);
    assertThat(refused.failed()).isTrue();
    assertThat(refused.cause()).isInstanceOf(ConfigException.class)
        .hasMessageContaining("KYC_DB_URL names a Unix socket directory");
    assertThat(HubNode.checkTransport(true, SOCKET).succeeded()).isTrue();
  }

  @Test
  void aNetworkAddressWorksOnEitherTransport() {
    assertThat(HubNode.checkTransport(false, TCP).succeeded()).isTrue();
    assertThat(HubNode.checkTransport(true, TCP).succeeded()).isTrue();
  }
}
