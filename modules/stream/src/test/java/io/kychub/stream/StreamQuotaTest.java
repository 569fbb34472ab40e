package io.kychub.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.stream.StreamScope.Credential;
import io.kychub.stream.StreamScope.Kind;
import org.junit.jupiter.api.Test;

class StreamQuotaTest {

  private static StreamScope secret(String tenant, String id) {
    return StreamScope.customer(tenant, "c-1", new Credential(Kind.CLIENT_SECRET, id, null));
  }

  private static StreamScope key(String tenant, String id) {
    return StreamScope.tenant(tenant, new Credential(Kind.API_KEY, id, null));
  }

  @Test
  void eachCredentialAndTenantHasItsCap() {
    StreamQuota quota = new StreamQuota(2, 3, 4);
    assertThat(quota.tryAcquire(secret("t", "s1"))).isTrue();
    assertThat(quota.tryAcquire(secret("t", "s1"))).isTrue();
    assertThat(quota.tryAcquire(secret("t", "s1"))).as("third stream of one secret").isFalse();
    assertThat(quota.tryAcquire(key("t", "k1"))).isTrue();
    assertThat(quota.tryAcquire(key("t", "k1"))).isTrue();
    assertThat(quota.tryAcquire(key("t", "k1"))).as("the tenant's fifth stream").isFalse();
    assertThat(quota.openFor(key("t", "k1"))).as("a refused stream counts nothing").isEqualTo(2);
    assertThat(quota.tryAcquire(key("u", "k2"))).as("another tenant").isTrue();
  }

  @Test
  void releasingFreesBothPlaces() {
    StreamQuota quota = new StreamQuota(1, 1, 1);
    assertThat(quota.tryAcquire(secret("t", "s1"))).isTrue();
    assertThat(quota.tryAcquire(secret("t", "s2"))).isFalse();
    quota.release(secret("t", "s1"));
    assertThat(quota.tryAcquire(secret("t", "s2"))).isTrue();
    assertThat(quota.openFor(secret("t", "s1"))).isZero();
  }
}
